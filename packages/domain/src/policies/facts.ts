/**
 * The facts a policy may read, by entity. A policy referring to anything else does not compile.
 * The registry loader (apps/server/src/modules/policies/facts.repository.ts) fills them from the
 * registries, the ledger (就业失业登记) and records from other systems; a what-if evaluation takes them
 * inline. A fact nobody supplied is unknown, and a condition that needs it answers 信息不足.
 */

export type FactType = "bool" | "int" | "money" | "date" | "enum" | "rate";
export type Entity = "person" | "employer";

export interface FactDef {
  type: FactType;
  label: string;
  values?: Record<string, string>;
  /** Unit for int facts in explanations. */
  unit?: string;
}

const EDUCATION = {
  doctorate: "博士研究生",
  master: "硕士研究生",
  bachelor: "大学本科",
  junior_college: "大学专科",
  secondary_vocational: "中等职业教育",
  high_school: "普通高中",
  junior_high: "初中",
  primary_or_below: "小学及以下",
};

export const PERSON_FACTS: Record<string, FactDef> = {
  birth_date: { type: "date", label: "出生日期" },
  sex: { type: "enum", label: "性别", values: { male: "男", female: "女" } },
  education: { type: "enum", label: "学历", values: EDUCATION },
  hukou_type: { type: "enum", label: "户籍类型", values: { urban: "城镇", rural: "农村" } },
  retirement_date: { type: "date", label: "法定退休日期" },
  registered_unemployed: { type: "bool", label: "已办理失业登记" },
  unemployed_since: { type: "date", label: "失业登记日期" },
  employed: { type: "bool", label: "处于就业状态" },
  employment_form: {
    type: "enum",
    label: "就业形式",
    values: { employer: "单位就业", self_employed: "个体经营", flexible: "灵活就业", platform: "新就业形态" },
  },
  employed_since: { type: "date", label: "就业登记日期" },
  last_separation_reason: {
    type: "enum",
    label: "上次离职原因",
    values: {
      voluntary: "本人申请解除",
      involuntary: "非本人意愿中断就业",
      contract_expiry: "劳动合同期满",
      layoff: "经济性裁员",
      retirement: "退休",
      death: "死亡",
    },
  },
  ui_contribution_months: { type: "int", label: "失业保险累计缴费月数", unit: "个月" },
  pension_contribution_months: { type: "int", label: "养老保险累计缴费月数", unit: "个月" },
  medical_contribution_months: { type: "int", label: "医疗保险累计缴费月数", unit: "个月" },
  flexible_insurance_paying: { type: "bool", label: "以灵活就业人员身份参加社会保险" },
  flexible_insurance_monthly_fen: { type: "money", label: "灵活就业月缴费额" },
  graduate: { type: "bool", label: "高校毕业生" },
  graduation_date: { type: "date", label: "毕业日期" },
  final_year_student: { type: "bool", label: "毕业年度在校生" },
  veteran: { type: "bool", label: "退役军人" },
  discharge_date: { type: "date", label: "退役日期" },
  disability_grade: { type: "int", label: "残疾等级（0 表示无）", unit: "级" },
  dibao: { type: "bool", label: "低保家庭成员" },
  poverty_alleviated: { type: "bool", label: "脱贫人口" },
  special_hardship: { type: "bool", label: "特困人员" },
  student_loan: { type: "bool", label: "获得国家助学贷款" },
  rural_migrant: { type: "bool", label: "农村转移劳动力" },
  returning_migrant: { type: "bool", label: "返乡创业农民工" },
  released_prisoner: { type: "bool", label: "刑满释放人员" },
  landless_farmer: { type: "bool", label: "失地农民" },
  certificate_level: {
    type: "int",
    label: "最近取得的职业技能等级（1 一级/高级技师 … 5 五级/初级工）",
    unit: "级",
  },
  certificate_date: { type: "date", label: "最近证书取得日期" },
  skill_subsidies_this_year: { type: "int", label: "本年度已享受技能提升补贴次数", unit: "次" },
  in_internship: { type: "bool", label: "正在参加就业见习" },
  in_public_welfare_post: { type: "bool", label: "在公益性岗位就业" },
  public_welfare_post_since: { type: "date", label: "公益性岗位上岗日期" },
  loan_amount_fen: { type: "money", label: "申请贷款金额" },
  loan_rate_bp: { type: "rate", label: "贷款年利率" },
  difficulty_recognised: { type: "bool", label: "已认定为就业困难人员" },
  local_minimum_wage_fen: { type: "money", label: "当地月最低工资标准" },
};

export const EMPLOYER_FACTS: Record<string, FactDef> = {
  size_class: {
    type: "enum",
    label: "企业规模",
    values: { micro: "微型", small: "小型", medium: "中型", large: "大型" },
  },
  headcount: { type: "int", label: "职工人数", unit: "人" },
  insured_headcount: { type: "int", label: "参保职工人数", unit: "人" },
  insured_months: { type: "int", label: "连续参加失业保险月数", unit: "个月" },
  avg_insured_last_year: { type: "int", label: "上年度月平均参保人数", unit: "人" },
  benefit_claimants_last_year: { type: "int", label: "上年度裁员人数（参保职工中领取失业保险金人数）", unit: "人" },
  ui_contributions_last_year_fen: { type: "money", label: "上年度实际缴纳失业保险费" },
  eligible_new_hires: { type: "int", label: "符合条件的新招用人数", unit: "人" },
  avg_annual_wage_fen: { type: "money", label: "上年在职职工年平均工资" },
  planned_layoffs: { type: "int", label: "计划裁减人数", unit: "人" },
  serious_violation: { type: "bool", label: "存在严重失信或重大违法行为" },
  local_avg_wage_fen: { type: "money", label: "当地上年社会平均工资（年）" },
};

export const FACTS: Record<Entity, Record<string, FactDef>> = { person: PERSON_FACTS, employer: EMPLOYER_FACTS };
