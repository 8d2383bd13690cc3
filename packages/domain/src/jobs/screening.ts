/**
 * Screening of job postings (招聘信息审核) against the anti-discrimination rules and the minimum
 * wage. Seed §二十: "及时纠正含有歧视内容和不合理限制的招聘行为". Each finding points at the phrase
 * the employer wrote, says what to change, and cites its legal basis.
 *
 * Blocking findings stop publication; warnings send the posting to a case worker's moderation
 * queue. Patterns run over normalised text (see normalise.ts) so that spacing, full-width and
 * traditional-character evasions read like the plain phrase; innocent phrases ("男女不限",
 * "女职工禁忌劳动范围" cited as a justification) are matched first and suppress any finding that overlaps them.
 */
import { formatFen, type MinimumWageRate } from "./minimum-wage.ts";
import { type NormalisedText, normaliseForScreening, originalSpan } from "./normalise.ts";

export type FindingSeverity = "block" | "warn";
export type FindingCategory =
  | "gender"
  | "marriage_childbirth"
  | "pregnancy_test"
  | "ethnicity_religion"
  | "disability"
  | "disease_carrier"
  | "hukou"
  | "age"
  | "school_tier"
  | "minimum_wage";

export const FINDING_CATEGORY_NAMES: Record<FindingCategory, string> = {
  gender: "性别限制",
  marriage_childbirth: "婚育限制",
  pregnancy_test: "妊娠检查",
  ethnicity_religion: "民族、种族、宗教限制",
  disability: "残疾歧视",
  disease_carrier: "传染病病原携带者歧视",
  hukou: "户籍限制",
  age: "年龄限制",
  school_tier: "院校层次限制",
  minimum_wage: "低于最低工资标准",
};

export type ScreenedField = "title" | "description" | "requirements" | "benefits" | "salary";

export interface ScreeningFinding {
  code: string;
  category: FindingCategory;
  severity: FindingSeverity;
  field: ScreenedField;
  /** Offsets in the field's original text (UTF-16), end exclusive; absent for salary findings. */
  start?: number;
  end?: number;
  phrase?: string;
  message: string;
  basis: string[];
}

export interface ScreeningInput {
  title: string;
  description: string;
  requirements?: string | null;
  benefits?: string | null;
  /** The posting's work region (6-digit county code or longer). */
  workRegionCode: string;
  /** Whether the posting is aimed at new graduates (应届毕业生, 见习岗位) — decides 户籍 severity. */
  targetsGraduates: boolean;
  employmentType: "full_time" | "part_time" | "flexible";
  salary: { type: "monthly" | "hourly"; minFen: number; maxFen: number };
  /** The applicable minimum wage, or null when none is configured for the region and date. */
  minimumWage: MinimumWageRate | null;
}

export interface ScreeningResult {
  findings: ScreeningFinding[];
  blocked: boolean;
  needsReview: boolean;
}

const LAW = {
  employmentPromotion27: "《中华人民共和国就业促进法》第二十七条（妇女享有与男子平等的劳动权利）",
  employmentPromotion3: "《中华人民共和国就业促进法》第三条（不因民族、种族、性别、宗教信仰等不同而受歧视）",
  employmentPromotion28: "《中华人民共和国就业促进法》第二十八条（各民族劳动者享有平等的劳动权利）",
  employmentPromotion29: "《中华人民共和国就业促进法》第二十九条（不得歧视残疾人）",
  employmentPromotion30: "《中华人民共和国就业促进法》第三十条（不得以是传染病病原携带者为由拒绝录用）",
  womenRights43:
    "《中华人民共和国妇女权益保障法》第四十三条（不得限定性别、询问婚育情况、将妊娠测试作为入职体检项目、将限制结婚生育作为录用条件）",
  mohrss2019_17: "《人力资源社会保障部等九部门关于进一步规范招聘行为促进妇女就业的通知》（人社部发〔2019〕17号）",
  hrMarket24: "《人力资源市场暂行条例》第二十四条（不得发布含有民族、种族、性别、宗教信仰等方面歧视性内容的招聘信息）",
  disability38: "《中华人民共和国残疾人保障法》第三十八条",
  hbv2010: "《关于进一步规范入学和就业体检项目维护乙肝表面抗原携带者入学和就业权利的通知》（人社部发〔2010〕12号）",
  graduates2014:
    "《国务院办公厅关于做好2014年全国普通高等学校毕业生就业创业工作的通知》（国办发〔2014〕22号：省会及以下城市不得将户籍作为招聘高校毕业生的限制性条件）",
  govReport2022: "2022年《政府工作报告》（坚决防止和纠正性别、年龄、学历等就业歧视）",
  minimumWage12: "《最低工资规定》（劳动和社会保障部令第21号）第十二条",
  womenWorkers: "《女职工劳动保护特别规定》附录（女职工禁忌从事的劳动范围）",
} as const;

interface Rule {
  code: string;
  category: FindingCategory;
  severity: FindingSeverity;
  pattern: RegExp;
  message: string;
  basis: string[];
}

const SEX = "(?:男|女)";
const SEX_WORD = "(?:男|女)(?:性|士|生|工|孩|子|的|人|员|同志|青年)?";
const LIMIT = "(?:限|仅限|只限|仅招|只招|只要|仅要|限招|要求|需|须|必须|适合|专招)";
const ETHNIC =
  "(?:汉族|回族|藏族|维吾尔族|维族|蒙古族|壮族|苗族|彝族|满族|朝鲜族|哈萨克族|少数民族|新疆人|新疆籍|藏区)";

// Innocent phrases: a match inside one of these is not a finding.
const INNOCENT: RegExp[] = [
  /男女不限|不限男女|性别不限|男女均可|男女皆可|男女兼招|男女各半|男女平等|不限性别|男女同工同酬/g,
  /女职工禁忌(?:从事的)?劳动范围|女职工劳动保护特别规定|女职工(?:权益|保护|特殊保护)/g,
  /单身(?:公寓|宿舍)|婚假|产假|陪产假|育儿假|生育保险|生育津贴|生育假/g,
  /(?:不查|无需|不需要|不做|不检测|不检查|不要求)(?:乙肝|乙型肝炎|两对半|乙肝五项)/g,
  /(?:户籍|户口)不限|不限(?:户籍|户口)|欢迎(?:外地|外省)/g,
  /(?:年满|满)(?:16|十六|18|十八)(?:周岁|岁)|(?:16|十六|18|十八)(?:周岁|岁)(?:以上|及以上)/g,
  /(?:欢迎|优先录用|优先招录|优先考虑)(?:残疾人|残障人士)|(?:残疾人|残障人士)(?:优先|就业|岗位|专岗|之家)/g,
  /明白人|子女|儿女|女儿|(?:男|女)(?:装|鞋|包|表|款|士用品|性用品|子学校|子医院|子学院)|妇女儿童/g,
  /(?:城镇|农村)(?:户口|户籍)(?:均可|皆可|不限)/g,
  /清真(?:餐|食堂|饮食)/g,
];

const RULES: Rule[] = [
  // ── 性别 ──
  {
    code: "GENDER_LIMIT",
    category: "gender",
    severity: "block",
    pattern: new RegExp(
      `${LIMIT}${SEX_WORD}|(?:招|招聘|诚聘|急聘|聘)${SEX}(?!女|男|不限)(?:性|士|生|工)?|性别${SEX}(?!女|男)`,
      "g",
    ),
    message: "招聘信息不得限定性别。请删除性别要求；如岗位属于女职工禁忌从事的劳动范围，请写明依据，由经办人员审核。",
    basis: [LAW.employmentPromotion27, LAW.womenRights43, LAW.mohrss2019_17, LAW.hrMarket24],
  },
  {
    code: "GENDER_PREFERENCE",
    category: "gender",
    severity: "block",
    pattern: new RegExp(
      `${SEX_WORD}(?:者)?(?:优先|为主|更佳|最佳|者佳|尤佳)|(?:优先|最好是|最好)${SEX_WORD}|(?:限|仅限|只招)?宝妈(?:优先|专属|专岗)?`,
      "g",
    ),
    message: "招聘信息不得表达性别偏好（如“男性优先”）。请删除性别表述。",
    basis: [LAW.employmentPromotion27, LAW.womenRights43, LAW.mohrss2019_17],
  },
  {
    code: "GENDER_EXCLUSION",
    category: "gender",
    severity: "block",
    pattern: new RegExp(
      `${SEX_WORD}(?:勿扰|免谈|免进|不要|不招|不考虑|请绕行|慎投)|(?:不招|谢绝|拒绝|不要|不收|不考虑)${SEX_WORD}`,
      "g",
    ),
    message: "招聘信息不得排斥某一性别（如“女士勿扰”）。请删除该表述。",
    basis: [LAW.employmentPromotion27, LAW.womenRights43, LAW.mohrss2019_17],
  },
  // ── 婚育 ──
  {
    code: "MARRIAGE_CONDITION",
    category: "marriage_childbirth",
    severity: "block",
    pattern:
      /已婚已育|已婚未育|未婚未育|已婚|未婚|已育|未育|离异|婚育(?:情况|状况)?|婚姻状况|单身|(?:\d+年内|入职后|合同期内|合同期间|工作期间)?(?:不得|不能|不准|暂不|不可|不许|禁止)(?:结婚|生育|怀孕|生孩子|要孩子|生二胎|生三胎|生小孩)|(?:二胎|二孩|三胎|三孩)(?:勿扰|免谈|不要|不考虑)/g,
    message: "招聘信息不得询问或限制婚姻、生育状况，不得将限制结婚、生育作为录用条件。请删除该表述。",
    basis: [LAW.womenRights43, LAW.mohrss2019_17],
  },
  {
    code: "PREGNANCY_TEST",
    category: "pregnancy_test",
    severity: "block",
    pattern:
      /孕检|验孕|妊娠(?:检查|检测|测试|试验)|怀孕(?:检查|检测|测试)|(?:体检|入职检查)(?:含|包括|包含|需|须|要)?(?:妊娠(?:检查|检测|测试)?|怀孕(?:检查|检测)?|孕检)/g,
    message: "不得将妊娠测试作为入职体检项目。请从体检要求中删除。",
    basis: [LAW.womenRights43, LAW.mohrss2019_17],
  },
  // ── 民族、种族、宗教 ──
  {
    code: "ETHNICITY_LIMIT",
    category: "ethnicity_religion",
    severity: "block",
    pattern: new RegExp(
      `${LIMIT}${ETHNIC}|(?:不招|不要|谢绝|拒绝|不收|不考虑|非)${ETHNIC}|${ETHNIC}(?:者)?(?:优先|勿扰|免谈|不要|不招|除外)|民族汉`,
      "g",
    ),
    message: "招聘信息不得以民族作为条件或偏好。请删除民族要求。",
    basis: [LAW.employmentPromotion3, LAW.employmentPromotion28, LAW.hrMarket24],
  },
  {
    code: "RACE_LIMIT",
    category: "ethnicity_religion",
    severity: "block",
    pattern: /种族|肤色|(?:白人|黑人)(?:外教|优先|面孔|老师|模特)|(?:限|仅限|只招|只要|要求)(?:白人|黑人)/g,
    message: "招聘信息不得以种族、肤色作为条件。请删除该要求。",
    basis: [LAW.employmentPromotion3, LAW.hrMarket24],
  },
  {
    code: "RELIGION_LIMIT",
    category: "ethnicity_religion",
    severity: "block",
    pattern:
      /无宗教信仰|不信教|宗教信仰|(?:限|仅限|只招|要求|不招|谢绝|拒绝)(?:穆斯林|基督徒|佛教徒|信教|教徒)|(?:穆斯林|基督徒|佛教徒|信教者|教徒)(?:优先|勿扰|免谈|不要)/g,
    message: "招聘信息不得以宗教信仰作为条件。请删除该要求。",
    basis: [LAW.employmentPromotion3, LAW.hrMarket24],
  },
  // ── 残疾 ──
  {
    code: "DISABILITY_EXCLUSION",
    category: "disability",
    severity: "block",
    pattern:
      /身体健全|四肢健全|肢体健全|无残疾|非残疾|(?:残疾|残障)(?:人|人士|者)?(?:勿扰|免谈|不要|不招|不予考虑|除外)|(?:不招|不要|谢绝|拒绝)(?:残疾|残障)/g,
    message: "招聘信息不得歧视残疾人。如岗位确有身体条件要求，请写明具体的岗位任务要求（如“需长时间站立”）。",
    basis: [LAW.employmentPromotion29, LAW.disability38],
  },
  // ── 传染病病原携带者 ──
  {
    code: "CARRIER_EXCLUSION",
    category: "disease_carrier",
    severity: "block",
    pattern: /乙肝|乙型肝炎|澳抗|大三阳|小三阳|两对半|乙肝五项|hbsag|病毒携带|携带者|hiv|艾滋/g,
    message: "不得以传染病病原携带者（如乙肝表面抗原携带者）为由限制录用，也不得要求乙肝检测。请删除该要求。",
    basis: [LAW.employmentPromotion30, LAW.hbv2010],
  },
  // ── 户籍 ──
  {
    code: "HUKOU_LIMIT",
    category: "hukou",
    severity: "warn",
    pattern:
      /(?:限|仅限|只招|只要|要求|需|须|必须)?(?:本地|本市|本省|本区|本县|当地|城镇|农村|非农)(?:户口|户籍|常住户口)|(?:户口|户籍)(?:限|在|为|须|需|要求)(?:本地|本市|本省|本区|当地)|本地人(?:优先)?|外地人(?:勿扰|免谈|不要)|(?:不招|谢绝|拒绝)(?:外地|外省|农村)/g,
    message: "招聘信息不宜以户籍作为条件。请删除户籍要求。",
    basis: [LAW.employmentPromotion3, LAW.graduates2014],
  },
  // ── 年龄（提示） ──
  {
    code: "AGE_LIMIT",
    category: "age",
    severity: "warn",
    pattern:
      /(?:年龄)?\d{2}(?:周岁|岁)?(?:至|到)\d{2}(?:周岁|岁)|(?<!\d)\d{4}(?:周岁|岁)|\d{2}(?:周岁|岁)(?:以下|以内|以上|之间|左右|上下|及以下|及以上|以前)|年龄(?:在|不超过|不超|不大于|不高于|限|要求|须|需|小于|低于)?\d{2}|年龄(?:不超过|限制|要求|偏大勿扰)|(?:年轻|青年)(?:人)?(?:优先|为主)|大龄(?:勿扰|免谈|不要)/g,
    message: "年龄限制可能构成就业歧视，请说明与岗位相关的理由或删除；经办人员将审核。",
    basis: [LAW.govReport2022],
  },
  // ── 院校层次（提示） ──
  {
    code: "SCHOOL_TIER",
    category: "school_tier",
    severity: "warn",
    pattern:
      /(?<!\d)(?:985|211)(?:985|211)?(?:院校|高校|大学|学校|毕业|工程|名校|优先|及以上|以上|本科|硕士|学历|背景)|双一流|第一学历|名校|重点大学|重点院校|统招一本|一本(?:院校|及以上|以上|学历)|qs(?:前)?\d+/g,
    message: "以院校层次或“第一学历”设限可能构成学历歧视，请改为岗位所需的能力或专业要求；经办人员将审核。",
    basis: [LAW.govReport2022],
  },
];

const GRADUATE_HINT = /应届|毕业生|校园招聘|校招|见习|实习生|毕业两年内|届毕业/;

/** Direct-controlled municipalities (直辖市): the 2014 rule binds provincial capitals and smaller cities. */
const MUNICIPALITY_PROVINCES = new Set(["11", "12", "31", "50"]);

function screenText(field: ScreenedField, original: string, input: ScreeningInput): ScreeningFinding[] {
  if (!original) return [];
  const n: NormalisedText = normaliseForScreening(original);
  const innocent: Array<[number, number]> = [];
  for (const re of INNOCENT) {
    re.lastIndex = 0;
    for (const m of n.text.matchAll(re)) innocent.push([m.index, m.index + m[0].length]);
  }
  const citesWomenWorkerRules = /女职工禁忌(?:从事的)?劳动范围|女职工劳动保护特别规定/.test(n.text);
  const findings: ScreeningFinding[] = [];
  const taken: Array<[number, number]> = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (const m of n.text.matchAll(rule.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) continue;
      // A finding that overlaps an innocent phrase ("不限男女", "女装导购") is not a finding.
      if (innocent.some(([a, b]) => start < b && end > a)) continue;
      // One phrase, one finding: a later rule does not re-report a span already reported.
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      const span = originalSpan(n, start, end);
      let severity = rule.severity;
      let message = rule.message;
      const basis = [...rule.basis];
      if (rule.category === "gender" && citesWomenWorkerRules) {
        // A restriction justified by the list of work women may not do is for a person to check.
        severity = "warn";
        message = "岗位以《女职工劳动保护特别规定》为依据限定性别，需经办人员核实是否属于禁忌劳动范围。";
        basis.push(LAW.womenWorkers);
      }
      if (
        rule.category === "hukou" &&
        input.targetsGraduates &&
        !MUNICIPALITY_PROVINCES.has(input.workRegionCode.slice(0, 2))
      ) {
        severity = "block";
        message = "招聘高校毕业生不得以户籍作为限制条件（省会及以下城市）。请删除户籍要求。";
      }
      findings.push({
        code: rule.code,
        category: rule.category,
        severity,
        field,
        start: span.start,
        end: span.end,
        phrase: span.text,
        message,
        basis,
      });
    }
  }
  return findings;
}

/** Screens a posting: every text field against the discrimination rules, and the pay against the minimum wage. */
export function screenPosting(input: ScreeningInput): ScreeningResult {
  const graduateText = [input.title, input.description, input.requirements ?? ""].some((t) => GRADUATE_HINT.test(t));
  const effective: ScreeningInput = { ...input, targetsGraduates: input.targetsGraduates || graduateText };
  const findings: ScreeningFinding[] = [
    ...screenText("title", input.title, effective),
    ...screenText("description", input.description, effective),
    ...screenText("requirements", input.requirements ?? "", effective),
    ...screenText("benefits", input.benefits ?? "", effective),
    ...screenMinimumWage(input),
  ];
  return {
    findings,
    blocked: findings.some((f) => f.severity === "block"),
    needsReview: findings.some((f) => f.severity === "warn"),
  };
}

export function screenMinimumWage(
  input: Pick<ScreeningInput, "salary" | "employmentType" | "minimumWage">,
): ScreeningFinding[] {
  const { salary, minimumWage } = input;
  if (!minimumWage) return [];
  const hourly = salary.type === "hourly";
  const floor = hourly ? minimumWage.hourlyFen : minimumWage.monthlyFen;
  if (salary.minFen >= floor) return [];
  const unit = hourly ? "元/小时" : "元/月";
  const tier = `${minimumWage.regionName}第${minimumWage.tier}档`;
  return [
    {
      code: hourly ? "BELOW_MINIMUM_WAGE_HOURLY" : "BELOW_MINIMUM_WAGE_MONTHLY",
      category: "minimum_wage",
      severity: "block",
      field: "salary",
      message: `工资下限 ${formatFen(salary.minFen)} ${unit}低于当地最低工资标准 ${formatFen(floor)} ${unit}（${tier}，${minimumWage.effectiveFrom} 起执行，差 ${formatFen(floor - salary.minFen)} ${unit}）。最低工资不含加班工资和特殊津贴，请调高工资下限。`,
      basis: [LAW.minimumWage12, minimumWage.source],
    },
  ];
}
