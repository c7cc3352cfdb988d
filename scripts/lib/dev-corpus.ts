// The rule detector's own labelled dev corpus: conversational templates written for this project, filled
// by @faker-js/faker (fixed seed) in en, en-GB, de, fr, es, it, nl, pl, pt-BR and zh-CN, English templates filled
// with the values of 22 more locales (cards, IBANs and social security numbers too), English chat turns of a
// user and an assistant (PersonaMem style: first names addressed, paired, in apposition), plus hand-written
// hard negatives (prose about passwords, products, public places and people) that must stay unmasked.
// Person names come only from the held-out fifth of faker's lists (scripts/lib/name-holdout.ts), which the
// evaluation leaves out of the gazetteer (`npm run eval -- --dev` runs the rules with `namesHeldOut`): the
// corpus measures the rules, not the lists. Output: MemPrivacy-Bench
// shaped JSONL (no user_name: the user's own name must be found from its cue).
import { allFakers, type Faker } from "@faker-js/faker";
import { isHeldOut } from "./name-holdout.js";

interface Label {
  original_text: string;
  privacy_type: string;
  privacy_level: "PL2" | "PL3" | "PL4";
}

/** What a template can ask for; each slot is filled once per sentence. */
interface Slots {
  self: string;
  selfFirst: string;
  tp: string;
  tpFirst: string;
  tpLast: string;
  phone: string;
  street: string;
  postCity: string;
  email: string;
}

type Template = (s: Slots) => [string, Label[]];

/** A label maker for one type and level. */
const labelOf =
  (type: string, level: Label["privacy_level"]) =>
  (v: string): Label => ({ original_text: v, privacy_type: type, privacy_level: level });

const RN = labelOf("Real Name", "PL2");
const TP = labelOf("Third-Party Identifiable Info", "PL2");
const REL = labelOf("Relationship Info", "PL2");
const PH = labelOf("Phone Number", "PL2");
const AD = labelOf("Detailed Address", "PL2");
const EM = labelOf("Email", "PL2");
const AGE = labelOf("Specific Age", "PL2");
const FA = labelOf("Financial Account", "PL3");
const IDN = labelOf("ID Number", "PL3");
const JOB = labelOf("Job Title/Rank", "PL2");

/** A street and its postcode line: the whole address and each part (nested, as MemPrivacy-Bench labels). */
const fullAddress = (s: Slots): Label[] => [AD(`${s.street}, ${s.postCity}`), AD(s.street), AD(s.postCity)];

/** A relation phrase: the relation word and the name (Relationship Info) holding the name (Third-Party). */
const rel = (word: string, name: string): Label[] => [REL(`${word} ${name}`), TP(name)];

const EN: Template[] = [
  (s) => [`Hi, my name is ${s.self} and I need help planning a trip.`, [RN(s.self)]],
  (s) => [
    `My wife ${s.tpFirst} and I are moving to ${s.street} next month.`,
    [...rel("wife", s.tpFirst), AD(s.street)],
  ],
  (s) => [`Can you draft a short note to ${s.tp}? Her number is ${s.phone}.`, [TP(s.tp), PH(s.phone)]],
  (s) => [
    `Please send the invoice to ${s.street}, ${s.postCity}. Call me on ${s.phone} if anything is unclear.`,
    [...fullAddress(s), PH(s.phone)],
  ],
  (s) => [`I had an appointment with Dr. ${s.tpLast} yesterday about my knee.`, [TP(`Dr. ${s.tpLast}`)]],
  (s) => [`Thanks for the help!\n\nBest regards,\n${s.self}`, [RN(s.self)]],
  (s) => [`Remind me to call ${s.tpFirst} tomorrow at ${s.phone}.`, [TP(s.tpFirst), PH(s.phone)]],
  (s) => [
    `My colleague ${s.tp} will join the meeting; his mobile is ${s.phone}.`,
    [...rel("colleague", s.tp), PH(s.phone)],
  ],
  (s) => [`Our new office address is ${s.street}, ${s.postCity}.`, [...fullAddress(s)]],
  (s) => [
    `I'm ${s.selfFirst}, and my son ${s.tpFirst} starts school in September.`,
    [RN(s.selfFirst), ...rel("son", s.tpFirst)],
  ],
  (s) => [`The parcel for ${s.tp} should go to ${s.street}.`, [TP(s.tp), AD(s.street)]],
  (s) => [`${s.tp} said she would bring the documents to the office.`, [TP(s.tp)]],
  (s) => [`Could you check whether ${s.tpFirst} replied to my email?`, [TP(s.tpFirst)]],
  (s) => [
    `Ms. ${s.tpLast} from the bank called me at ${s.phone} this morning.`,
    [TP(`Ms. ${s.tpLast}`), PH(s.phone)],
  ],
  (s) => [
    `Send the contract to my lawyer, ${s.tp}, before Friday: ${s.email}`,
    [...rel("lawyer,", s.tp), EM(s.email)],
  ],
  (s) => [`I live at ${s.street} and my landline is ${s.phone}.`, [AD(s.street), PH(s.phone)]],
  (s) => [`Write a birthday card for my mother ${s.tp}, she turns 70 on Sunday.`, [...rel("mother", s.tp)]],
  (s) => [
    `You can reach ${s.tpFirst} on ${s.phone} or by email at ${s.email}.`,
    [TP(s.tpFirst), PH(s.phone), EM(s.email)],
  ],
  // Form lines and greetings.
  (s) => [`Patient: ${s.tp}\nPhone: ${s.phone}\nReason for visit: follow-up`, [TP(s.tp), PH(s.phone)]],
  (s) => [`Name: ${s.self}, e-mail ${s.email}`, [RN(s.self), EM(s.email)]],
  (s) => [`Please rewrite this: "Hi ${s.tpFirst}, the slides are attached."`, [TP(s.tpFirst)]],
];

const DE: Template[] = [
  (s) => [`Hallo, ich heiße ${s.self} und brauche Hilfe bei einer Bewerbung.`, [RN(s.self)]],
  (s) => [`Meine Adresse ist ${s.street}, ${s.postCity}.`, [...fullAddress(s)]],
  (s) => [`Bitte ruf ${s.tpFirst} unter ${s.phone} an.`, [TP(s.tpFirst), PH(s.phone)]],
  (s) => [`Frau ${s.tpLast} hat gestern wegen der Rechnung angerufen.`, [TP(`Frau ${s.tpLast}`)]],
  (s) => [`Mein Kollege ${s.tp} ist unter ${s.phone} erreichbar.`, [...rel("Kollege", s.tp), PH(s.phone)]],
  (s) => [`Schick das Paket an ${s.tp}, ${s.street}.`, [TP(s.tp), AD(s.street)]],
];
const FR: Template[] = [
  (s) => [`Bonjour, je m'appelle ${s.self} et j'ai une question sur mon contrat.`, [RN(s.self)]],
  (s) => [`Mon adresse est ${s.street}, ${s.postCity}.`, [...fullAddress(s)]],
  (s) => [`Peux-tu appeler ${s.tpFirst} au ${s.phone} demain matin ?`, [TP(s.tpFirst), PH(s.phone)]],
  (s) => [`Mme ${s.tpLast} m'a envoyé le devis hier.`, [TP(`Mme ${s.tpLast}`)]],
  (s) => [`Mon collègue ${s.tp} a changé de numéro : ${s.phone}.`, [...rel("collègue", s.tp), PH(s.phone)]],
];
const ES: Template[] = [
  (s) => [`Hola, me llamo ${s.self} y necesito ayuda con una reserva.`, [RN(s.self)]],
  (s) => [`Mi dirección es ${s.street}, ${s.postCity}.`, [...fullAddress(s)]],
  (s) => [`Llama a ${s.tpFirst} al ${s.phone}, por favor.`, [TP(s.tpFirst), PH(s.phone)]],
  (s) => [`La Sra. ${s.tpLast} vendrá a las cinco.`, [TP(`Sra. ${s.tpLast}`)]],
  (s) => [`Mi hermano ${s.tp} vive en ${s.street}.`, [...rel("hermano", s.tp), AD(s.street)]],
];
const IT: Template[] = [
  (s) => [`Ciao, mi chiamo ${s.self} e vorrei prenotare un tavolo.`, [RN(s.self)]],
  (s) => [`Il mio indirizzo è ${s.street}, ${s.postCity}.`, [...fullAddress(s)]],
  (s) => [`Puoi chiamare ${s.tpFirst} al numero ${s.phone}?`, [TP(s.tpFirst), PH(s.phone)]],
  (s) => [`Il Dott. ${s.tpLast} mi ha dato un nuovo appuntamento.`, [TP(`Dott. ${s.tpLast}`)]],
  (s) => [`Mia sorella ${s.tp} abita in ${s.street}.`, [...rel("sorella", s.tp), AD(s.street)]],
];
const NL: Template[] = [
  (s) => [`Hallo, mijn naam is ${s.self} en ik heb een vraag.`, [RN(s.self)]],
  (s) => [`Mijn adres is ${s.street}, ${s.postCity}.`, [...fullAddress(s)]],
  (s) => [`Bel ${s.tpFirst} even op ${s.phone}.`, [TP(s.tpFirst), PH(s.phone)]],
  (s) => [`Mijn collega ${s.tp} neemt de vergadering over.`, [...rel("collega", s.tp)]],
];
const PL: Template[] = [
  (s) => [`Dzień dobry, nazywam się ${s.self} i mam pytanie o fakturę.`, [RN(s.self)]],
  (s) => [`Mój adres to ${s.street}, ${s.postCity}.`, [...fullAddress(s)]],
  (s) => [`Zadzwoń do ${s.tpFirst} pod numer ${s.phone}.`, [TP(s.tpFirst), PH(s.phone)]],
  (s) => [`Pani ${s.tpLast} przyjdzie jutro.`, [TP(`Pani ${s.tpLast}`)]],
];
const PT: Template[] = [
  (s) => [`Olá, meu nome é ${s.self} e preciso de ajuda.`, [RN(s.self)]],
  (s) => [`Meu endereço é ${s.street}, ${s.postCity}.`, [...fullAddress(s)]],
  (s) => [`Liga para ${s.tpFirst} no ${s.phone}, por favor.`, [TP(s.tpFirst), PH(s.phone)]],
  (s) => [`Minha irmã ${s.tp} mora na ${s.street}.`, [...rel("irmã", s.tp), AD(s.street)]],
];
const ZH: Template[] = [
  (s) => [`你好，我叫${s.self}，想咨询一下保险的事。`, [RN(s.self)]],
  (s) => [`我的同事${s.tp}明天会来参加会议。`, [...relZh("同事", s.tp)]],
  (s) => [`请把包裹寄到${s.street}，收件人电话${s.phone}。`, [AD(s.street), PH(s.phone)]],
  (s) => [`${s.tpLast}医生说我需要多休息。`, [TP(`${s.tpLast}医生`)]],
  (s) => [`我妻子${s.tp}的手机号是${s.phone}。`, [...relZh("妻子", s.tp), PH(s.phone)]],
  (s) => [`我住在${s.street}，有事可以打${s.phone}。`, [AD(s.street), PH(s.phone)]],
  (s) => [`${s.tp}女士已经确认了订单。`, [TP(`${s.tp}女士`)]],
  // Profile paragraphs and form lines: labels and "是 / 叫" between the cue and the name.
  (s) => [`姓名：${s.self}，电话：${s.phone}，住址：${s.street}。`, [RN(s.self), PH(s.phone), AD(s.street)]],
  (s) => [`我的姓名是${s.self}，邮箱是${s.email}。`, [RN(s.self), EM(s.email)]],
  (s) => [`我的主治医生是${s.tp}，下个月要复查。`, [REL(s.tp)]],
  (s) => [`我的妻子叫${s.tp}，她在医院工作。`, [REL(s.tp)]],
  (s) => [`紧急联系人：${s.tp}，联系电话${s.phone}。`, [TP(s.tp), PH(s.phone)]],
  (s) => [`我的朋友${s.tp}住在${s.street}。`, [...relZh("朋友", s.tp), AD(s.street)]],
  // A profile's subject, then a sex or an age, no cue before the name.
  (s) => [
    `${s.tp}，${sexOf(s)}，${ageOf(s)}岁，住在${s.street}，手机${s.phone}。`,
    [TP(s.tp), AGE(String(ageOf(s))), AD(s.street), PH(s.phone)],
  ],
  (s) => [`${s.tp}今年${ageOf(s)}岁，邮箱${s.email}。`, [TP(s.tp), AGE(String(ageOf(s))), EM(s.email)]],
];

// An age and a sex for a profile, read off the phone number's digits (no further draw from faker, so every
// other slot of the corpus stays what it was).
function ageOf(s: Slots): number {
  return 18 + ([...s.phone].reduce((n, c) => n + (c >= "0" && c <= "9" ? Number(c) : 0), 0) % 60);
}

function sexOf(s: Slots): string {
  return ageOf(s) % 2 === 0 ? "男" : "女";
}

function relZh(word: string, name: string): Label[] {
  return [REL(`${word}${name}`), TP(name)];
}

const NEGATIVES_EN = [
  "What makes a password strong?",
  "I visited the Eiffel Tower and the Louvre in Paris last summer.",
  "Albert Einstein published the theory of general relativity in 1915.",
  "The new iPhone 15 Pro has a much better camera than the old one.",
  "Victoria Station was crowded this morning because of the strike.",
  "Can you explain how the Microsoft Teams integration works?",
  "We read Pride and Prejudice by Jane Austen in class.",
  "The flight leaves at 10:30 from Terminal 5.",
  "Will you help me write a cover letter for a data analyst role?",
  "The meeting is on Monday, 12 May, in room 204.",
  "Our budget for the third quarter is 25,000 euros.",
  "The Golden Gate Bridge is in San Francisco.",
  "Chapter 12 explains the proof in more detail.",
  "Windows 11 needs at least 4 GB of RAM.",
  "Hypertension is one of the most common conditions worldwide.",
  "Use a password manager and never reuse passwords.",
  "Call of Duty and Minecraft were the best-selling games that year.",
  "The Rolling Stones played at Hyde Park in July.",
  "Marie Curie won two Nobel Prizes.",
  "Take the A4 north and turn left after 3 km.",
  "My first program printed Hello World, as everyone's does.",
  "From: Accounts Payable\nTo: Procurement\nSubject: Quarterly Report",
  "We moved to Austin, Texas, after the wedding.",
  "I grew up in Portland, Oregon!",
  "It runs on Windows, Linux.",
  "Cook sailed south to find the continent, Terra Australis.",
  "Docker would need more memory for that build.",
  "Excel moved the column to the left when I sorted it.",
  "We compared Python and Rust for the parser.",
  "Click the button, then Docker here means the engine.",
];
const NEGATIVES_ZH = [
  "什么样的密码才算安全？",
  "我去年夏天去了北京故宫和颐和园。",
  "鲁迅是中国现代文学的奠基人之一。",
  "高血压是全世界最常见的慢性病之一。",
  "我的爸爸是高中老师。",
  "我的老板是个很好的人。",
  "这款手机的电池容量是5000毫安时。",
  "会议定在下周一上午十点，在三楼会议室。",
  "请推荐几本关于机器学习的入门书。",
  "长城全长超过两万公里。",
  "周末，男女老少都来了。",
  "这款游戏适合12岁以上的玩家。",
];

// English text with the values of the world: the names, streets, postcodes, phones, cards and IBANs of other
// locales in English sentences (support tickets, shipping, payments), as an English-speaking assistant sees them.
interface WorldSlots {
  first: string;
  full: string;
  phone: string;
  street: string;
  city: string;
  zip: string;
  email: string;
  card: string;
  iban: string;
  ssn: string;
  age: number;
  job: string;
}
type WorldTemplate = (s: WorldSlots) => [string, Label[]];

const EN_WORLD: WorldTemplate[] = [
  (s) => [
    `Customer ${s.full} reported the issue from ${s.street}, ${s.zip} ${s.city}.`,
    [TP(s.full), AD(`${s.street}, ${s.zip} ${s.city}`), AD(s.street), AD(`${s.zip} ${s.city}`)],
  ],
  (s) => [
    `Please update the billing card to ${s.card} for account holder ${s.full}.`,
    [FA(s.card), TP(s.full)],
  ],
  (s) => [`Transfer the deposit to IBAN ${s.iban}, beneficiary ${s.full}.`, [FA(s.iban), TP(s.full)]],
  (s) => [`Her social security number is ${s.ssn}, please keep it safe.`, [IDN(s.ssn)]],
  (s) => [`${s.full} can be contacted at ${s.phone} between 9 and 5.`, [TP(s.full), PH(s.phone)]],
  (s) => [`I spoke with ${s.first} yesterday; they moved to ${s.street}.`, [TP(s.first), AD(s.street)]],
  (s) => [
    `Ticket opened by ${s.full} (${s.email}), phone ${s.phone}.`,
    [TP(s.full), EM(s.email), PH(s.phone)],
  ],
  (s) => [
    `My neighbour ${s.full} is ${s.age} years old and works as a ${s.job}.`,
    [...rel("neighbour", s.full), AGE(String(s.age)), JOB(s.job)],
  ],
  (s) => [
    `Ship it to: ${s.full}, ${s.street}, ${s.zip} ${s.city}`,
    [TP(s.full), AD(`${s.street}, ${s.zip} ${s.city}`), AD(s.street), AD(`${s.zip} ${s.city}`)],
  ],
  (s) => [`Hey ${s.first}, can you text me at ${s.phone} when you land?`, [TP(s.first), PH(s.phone)]],
  (s) => [
    `I am ${s.full}, ${s.age}, and I want to change my address to ${s.street}.`,
    [RN(s.full), AGE(String(s.age)), AD(s.street)],
  ],
  (s) => [`The payment with card number ${s.card} was declined for ${s.first}.`, [FA(s.card), TP(s.first)]],
  (s) => [
    `Appointment confirmed for ${s.full} on Tuesday. Reminder sent to ${s.email}.`,
    [TP(s.full), EM(s.email)],
  ],
  (s) => [`Dear ${s.full},\nyour order will be delivered to ${s.street}.`, [TP(s.full), AD(s.street)]],
];
// Chat turns of a user and an assistant over many sessions (PersonaMem style): the user's own first name as the
// assistant addresses it, family and friends by their first names, pairs, appositions, possessives.
interface ChatSlots {
  self: string;
  a: string;
  b: string;
  full: string;
  age: number;
}
type ChatTemplate = (s: ChatSlots) => [string, Label[]];

const EN_CHAT: ChatTemplate[] = [
  (s) => [`That sounds like a lovely plan, ${s.self}! Spring is a good time to start.`, [RN(s.self)]],
  (s) => [`Absolutely, ${s.self}. Taking breaks is part of the routine.`, [RN(s.self)]],
  (s) => [`Congratulations on the promotion, ${s.self}!`, [RN(s.self)]],
  (s) => [`Hey! ${s.self} here again, about the sourdough starter.`, [RN(s.self)]],
  (s) => [`${s.a}, my younger brother, is visiting from abroad next week.`, [REL(s.a), TP(s.a)]],
  (s) => [`${s.a} (my partner) thinks I should accept the offer.`, [REL(s.a), TP(s.a)]],
  (s) => [`I'm planning a surprise party for ${s.a}'s birthday.`, [TP(s.a)]],
  (s) => [`Me and ${s.a} have been friends since primary school.`, [TP(s.a)]],
  (s) => [`I've felt lonely since ${s.a} moved out in March.`, [TP(s.a)]],
  (s) => [`Do you think ${s.a} would like a cookbook for her birthday?`, [TP(s.a)]],
  (s) => [
    `My kids, ${s.a} and ${s.b}, argue about the tablet every evening.`,
    [...rel("kids,", s.a), TP(s.b)],
  ],
  (s) => [`My sister ${s.a} and I went hiking near the lake.`, [...rel("sister", s.a)]],
  (s) => [`I'm meeting ${s.full} for coffee to talk about the merger.`, [TP(s.full)]],
  (s) => [`My therapist, ${s.full}, suggested keeping a journal.`, [...rel("therapist,", s.full)]],
  (s) => {
    const age = String((s.age % 9) + 3);
    return [
      `My granddaughter ${s.a} just turned ${age} and loves dinosaurs.`,
      [...rel("granddaughter", s.a), AGE(age)],
    ];
  },
  (s) => [`I hope that helps, ${s.self}! Let me know how the talk with ${s.a} goes.`, [RN(s.self), TP(s.a)]],
];

function chatSlots(f: Faker): ChatSlots {
  const first = (): string => heldOut(() => f.person.firstName());
  return {
    self: first(),
    a: first(),
    b: first(),
    full: `${first()} ${heldOut(() => f.person.lastName())}`,
    age: f.number.int({ min: 18, max: 90 }),
  };
}

const WORLD_LOCALES = [
  "en_US",
  "en_AU",
  "en_CA",
  "en_IE",
  "en_IN",
  "en_ZA",
  "fi",
  "sv",
  "da",
  "nb_NO",
  "cs_CZ",
  "sk",
  "hu",
  "ro",
  "hr",
  "de_AT",
  "de_CH",
  "pt_PT",
  "lv",
  "tr",
  "es_MX",
  "fr_CA",
] as const;

function worldSlots(f: Faker): WorldSlots {
  const first = heldOut(() => f.person.firstName());
  const last = heldOut(() => f.person.lastName());
  return {
    first,
    full: `${first} ${last}`,
    phone: f.phone.number(),
    street: f.location.streetAddress(f.datatype.boolean()),
    city: f.location.city(),
    zip: f.location.zipCode(),
    email: f.internet.email({ firstName: first, lastName: last }).toLowerCase(),
    card: f.finance.creditCardNumber(),
    iban: f.finance.iban(),
    ssn: f.helpers.replaceSymbols("###-##-####"),
    age: f.number.int({ min: 18, max: 90 }),
    job: f.person.jobTitle(),
  };
}

const LOCALES = ["en", "en_GB", "de", "fr", "es", "it", "nl", "pl", "pt_BR", "zh_CN"] as const;
const TEMPLATES: Record<(typeof LOCALES)[number], Template[]> = {
  en: EN,
  en_GB: EN,
  de: DE,
  fr: FR,
  es: ES,
  it: IT,
  nl: NL,
  pl: PL,
  pt_BR: PT,
  zh_CN: ZH,
};

/** A held-out name part (never in the gazetteer); falls back to the last draw after 200 tries. */
function heldOut(draw: () => string): string {
  let v = draw();
  for (let i = 0; i < 200 && !isHeldOut(v); i++) v = draw();
  return v;
}

function slots(f: Faker, zh: boolean): Slots {
  const first = (): string => heldOut(() => f.person.firstName());
  const last = (): string => heldOut(() => f.person.lastName());
  const selfFirst = first();
  const selfLast = last();
  const tpFirst = first();
  const tpLast = last();
  const join = (a: string, b: string): string => (zh ? `${b}${a}` : `${a} ${b}`);
  const street = zh
    ? `${f.location.state()}${f.location.city()}${f.location.street()}${f.location.buildingNumber()}号`
    : f.location.streetAddress(f.datatype.boolean());
  return {
    self: join(selfFirst, selfLast),
    selfFirst,
    tp: join(tpFirst, tpLast),
    tpFirst,
    tpLast,
    phone: f.phone.number(),
    street,
    postCity: `${f.location.zipCode()} ${f.location.city()}`,
    email: f.internet.email({ firstName: tpFirst, lastName: tpLast }).toLowerCase(),
  };
}

/** Generates the corpus as JSONL lines (deterministic for a seed): one record per locale and round. */
export function generateDevCorpus(seed = 20261201, rounds = 12): string {
  const lines: string[] = [];
  for (const code of LOCALES) {
    const f = allFakers[code];
    f.seed(seed);
    const zh = code === "zh_CN";
    for (let r = 0; r < rounds; r++) {
      const dialogues = TEMPLATES[code].map((template) => {
        const [content, labels] = template(slots(f, zh));
        return {
          role: "user",
          content,
          privacy_info: labels.filter((l) => content.includes(l.original_text)),
        };
      });
      lines.push(
        JSON.stringify({
          uuid: `dev-${code}-${r}`,
          metadata: { language: zh ? "Chinese" : code.startsWith("en") ? "English" : code, locale: code },
          dialogues,
        }),
      );
    }
  }
  for (const code of WORLD_LOCALES) {
    const f = allFakers[code];
    f.seed(seed + 1);
    for (let r = 0; r < 3; r++) {
      const dialogues = EN_WORLD.map((template) => {
        const [content, labels] = template(worldSlots(f));
        return {
          role: "user",
          content,
          privacy_info: labels.filter((l) => content.includes(l.original_text)),
        };
      });
      lines.push(
        JSON.stringify({
          uuid: `dev-world-${code}-${r}`,
          metadata: { language: "English", locale: `world-${code}` },
          dialogues,
        }),
      );
    }
  }
  {
    const f = allFakers.en;
    f.seed(seed + 2);
    for (let r = 0; r < 6; r++) {
      const dialogues = EN_CHAT.map((template, k) => {
        const [content, labels] = template(chatSlots(f));
        return {
          role: k < 4 ? "assistant" : "user",
          content,
          privacy_info: labels.filter((l) => content.includes(l.original_text)),
        };
      });
      lines.push(
        JSON.stringify({
          uuid: `dev-chat-${r}`,
          metadata: { language: "English", locale: "chat" },
          dialogues,
        }),
      );
    }
  }
  const negatives = [
    ...NEGATIVES_EN.map((content) => ({ role: "user", content, privacy_info: [] })),
    ...NEGATIVES_ZH.map((content) => ({ role: "user", content, privacy_info: [] })),
  ];
  lines.push(
    JSON.stringify({ uuid: "dev-negatives", metadata: { language: "negatives" }, dialogues: negatives }),
  );
  return `${lines.join("\n")}\n`;
}
