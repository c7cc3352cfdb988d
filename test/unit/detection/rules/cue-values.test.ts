// Passwords after a cue hold quotes, any script and (quoted) spaces; connection strings with quoted
// passwords are masked whole; a question about passwords is not a password.
import { describe, expect, it } from "vitest";
import { textsOf } from "./helpers.js";

describe("cue-word secrets", () => {
  it("keeps quotes, non-Latin letters and quoted spaces inside the password", () => {
    expect(textsOf('my password is P@ss"w0rd!9 ok', "Password")).toEqual(['P@ss"w0rd!9']);
    expect(textsOf('the password is Tr0ub4dor&3"q\\z now', "Password")).toEqual(['Tr0ub4dor&3"q\\z']);
    expect(textsOf("password: Пароль2024! thanks", "Password")).toEqual(["Пароль2024!"]);
    expect(textsOf("password is 'correct horse 42 battery' ok", "Password")).toEqual([
      "correct horse 42 battery",
    ]);
    expect(textsOf("密码是abc123!，请记住", "Password")).toEqual(["abc123!"]);
  });

  it("does not take a word ending a question for a password", () => {
    expect(textsOf("What makes a password strong?", "Password")).toEqual([]);
    expect(textsOf("Is my password secure enough?", "Password")).toEqual([]);
  });

  it("masks connection strings whose password holds quotes", () => {
    expect(
      textsOf('use postgresql://admin:S3cr"et@db.internal:5432/app now', "Database Connection String"),
    ).toEqual(['postgresql://admin:S3cr"et@db.internal:5432/app']);
    expect(textsOf('Server=db1;Database=app;Password="p@ss;w0rd";', "Database Connection String")).toEqual([
      'Server=db1;Database=app;Password="p@ss;w0rd";',
    ]);
  });
});
