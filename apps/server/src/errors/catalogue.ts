/**
 * The one error catalogue: every stable code, its HTTP status and its Chinese title. Routes and
 * services throw `AppError(code)`; one hook turns it into application/problem+json.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, title: "请求参数不正确" },
  MALFORMED_JSON: { status: 400, title: "请求体不是有效的 JSON" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "不支持的内容类型" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "请求体过大" },
  AUTH_REQUIRED: { status: 401, title: "请先登录" },
  SESSION_EXPIRED: { status: 401, title: "登录已过期，请重新登录" },
  INVALID_CREDENTIALS: { status: 401, title: "用户名或密码错误" },
  ACCOUNT_LOCKED: { status: 401, title: "账号已临时锁定，请15分钟后再试" },
  ACCOUNT_DISABLED: { status: 401, title: "账号已停用，请联系管理员" },
  TOTP_REQUIRED: { status: 401, title: "请输入动态口令" },
  TOTP_INVALID: { status: 401, title: "动态口令不正确" },
  TOTP_SETUP_REQUIRED: { status: 403, title: "该角色必须先绑定动态口令（双因素认证）" },
  TOTP_NOT_STARTED: { status: 409, title: "请先生成动态口令密钥" },
  PASSWORD_CHANGE_REQUIRED: { status: 403, title: "请先修改初始密码" },
  CSRF_TOKEN_INVALID: { status: 403, title: "请求校验失败（CSRF），请刷新页面后重试" },
  FORBIDDEN: { status: 403, title: "当前角色无权执行此操作" },
  NOT_FOUND: { status: 404, title: "未找到该记录" },
  ROUTE_NOT_FOUND: { status: 404, title: "接口不存在" },
  METHOD_NOT_ALLOWED: { status: 405, title: "不支持的请求方法" },
  USERNAME_TAKEN: { status: 409, title: "用户名已被使用" },
  PASSWORD_WEAK: { status: 422, title: "密码不符合安全要求" },
  PASSWORD_WRONG: { status: 422, title: "当前密码不正确" },
  PASSWORD_REUSED: { status: 422, title: "新密码不能与当前密码相同" },
  REGION_UNKNOWN: { status: 422, title: "区划代码不存在" },
  REGION_OUT_OF_SCOPE: { status: 422, title: "区划不在您的管辖范围内" },
  REVEAL_PURPOSE_UNKNOWN: { status: 400, title: "查看目的不在允许的目的清单中" },
  ID_NUMBER_INVALID: { status: 422, title: "身份证号码不正确" },
  PERSON_EXISTS: { status: 409, title: "该身份证号码已登记" },
  CREDIT_CODE_INVALID: { status: 422, title: "统一社会信用代码不正确" },
  EMPLOYER_EXISTS: { status: 409, title: "该统一社会信用代码已登记" },
  INDUSTRY_UNKNOWN: { status: 422, title: "行业代码不存在" },
  HOUSEHOLD_MEMBER_CONFLICT: { status: 409, title: "该劳动者已属于另一个家庭，或家庭已有户主" },
  IMPORT_FILE_INVALID: { status: 422, title: "花名册文件无法读取" },
  IMPORT_FILE_TOO_LARGE: { status: 413, title: "花名册文件过大" },
  IMPORT_NOT_READY: { status: 409, title: "导入任务当前状态不能执行该操作" },
  SELF_MODIFICATION: { status: 422, title: "不能停用或降级自己的账号" },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: "同一个 Idempotency-Key 已用于内容不同的请求" },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: "相同 Idempotency-Key 的请求仍在处理中" },
  LEDGER_CONFLICT: { status: 409, title: "与本人当前的就业失业登记状态矛盾" },
  LEDGER_INVALID: { status: 422, title: "登记信息不符合就业失业登记规定" },
  OCCUPATION_UNKNOWN: { status: 422, title: "职业代码不在职业分类大典中" },
  POSTING_BLOCKED: { status: 422, title: "招聘信息未通过审核，请按提示修改后再提交" },
  POSTING_STATE: { status: 409, title: "岗位当前状态不能执行该操作" },
  VERSION_CONFLICT: { status: 409, title: "记录已被他人修改，请刷新后重试" },
  ALREADY_REPORTED: { status: 409, title: "您已举报过该岗位" },
  REVIEW_DECIDED: { status: 409, title: "该审核事项已处理" },
  MINIMUM_WAGE_INVALID: { status: 422, title: "最低工资标准数据不正确" },
  SEEKER_EXISTS: { status: 409, title: "该劳动者已有有效的求职登记" },
  REFERRAL_EXISTS: { status: 409, title: "已向该岗位推荐过此求职者" },
  REFERRAL_STATE: { status: 409, title: "推荐记录当前状态不能执行该操作" },
  FAIR_STATE: { status: 409, title: "招聘会当前状态不能执行该操作" },
  FAIR_DUPLICATE: { status: 409, title: "已经提交过，无需重复提交" },
  POLICY_UNKNOWN: { status: 422, title: "政策不存在" },
  POLICY_COMPILE_FAILED: { status: 422, title: "政策规则无法编译，请按提示修改" },
  POLICY_NOT_SWEEPABLE: { status: 422, title: "该政策不能对人群批量比对" },
  SWEEP_STATE: { status: 409, title: "比对批次当前状态不能执行该操作" },
  OBJECTIONS_OPEN: { status: 409, title: "尚有未处理的公示异议" },
  NOTICE_PERIOD: { status: 409, title: "不在公示期内" },
  POLICY_VERSION_STATE: { status: 409, title: "该政策版本当前状态不能执行该操作" },
  SELF_APPROVAL: { status: 422, title: "不能审批自己上传的政策版本" },
  APPLICATION_EXISTS: { status: 409, title: "本期已申请过该政策" },
  APPLICATION_STATE: { status: 409, title: "该申请已处理" },
  ALREADY_PAID: { status: 409, title: "本期已享受过该政策，不能重复享受" },
  RATE_LIMITED: { status: 429, title: "请求过于频繁，请稍后再试" },
  OVERLOADED: { status: 503, title: "系统繁忙，请稍后再试" },
  INTERNAL: { status: 500, title: "系统内部错误" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors?: FieldError[];
  readonly detail?: string;
  constructor(code: ErrorCode, options: { detail?: string; errors?: FieldError[] } = {}) {
    super(options.detail ?? ERRORS[code].title);
    this.code = code;
    this.status = ERRORS[code].status;
    this.detail = options.detail;
    this.errors = options.errors;
  }
}

export function problemBody(code: ErrorCode, detail?: string, errors?: FieldError[]) {
  return {
    type: `https://jiuye.example/problems/${code.toLowerCase().replace(/_/g, "-")}`,
    title: ERRORS[code].title,
    status: ERRORS[code].status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  };
}
