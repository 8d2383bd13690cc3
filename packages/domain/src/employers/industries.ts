/**
 * 国民经济行业分类 GB/T 4754-2017 (with amendment No.1, 2019): the 20 门类 (sections A–T) and the
 * 97 大类 (divisions 01–97). 中类/小类 can be imported later; employers record the 大类.
 */
export interface IndustrySection {
  code: string;
  name: string;
  divisions: Array<[code: string, name: string]>;
}

export const GB4754_SECTIONS: readonly IndustrySection[] = [
  {
    code: "A",
    name: "农、林、牧、渔业",
    divisions: [
      ["01", "农业"],
      ["02", "林业"],
      ["03", "畜牧业"],
      ["04", "渔业"],
      ["05", "农、林、牧、渔专业及辅助性活动"],
    ],
  },
  {
    code: "B",
    name: "采矿业",
    divisions: [
      ["06", "煤炭开采和洗选业"],
      ["07", "石油和天然气开采业"],
      ["08", "黑色金属矿采选业"],
      ["09", "有色金属矿采选业"],
      ["10", "非金属矿采选业"],
      ["11", "开采专业及辅助性活动"],
      ["12", "其他采矿业"],
    ],
  },
  {
    code: "C",
    name: "制造业",
    divisions: [
      ["13", "农副食品加工业"],
      ["14", "食品制造业"],
      ["15", "酒、饮料和精制茶制造业"],
      ["16", "烟草制品业"],
      ["17", "纺织业"],
      ["18", "纺织服装、服饰业"],
      ["19", "皮革、毛皮、羽毛及其制品和制鞋业"],
      ["20", "木材加工和木、竹、藤、棕、草制品业"],
      ["21", "家具制造业"],
      ["22", "造纸和纸制品业"],
      ["23", "印刷和记录媒介复制业"],
      ["24", "文教、工美、体育和娱乐用品制造业"],
      ["25", "石油、煤炭及其他燃料加工业"],
      ["26", "化学原料和化学制品制造业"],
      ["27", "医药制造业"],
      ["28", "化学纤维制造业"],
      ["29", "橡胶和塑料制品业"],
      ["30", "非金属矿物制品业"],
      ["31", "黑色金属冶炼和压延加工业"],
      ["32", "有色金属冶炼和压延加工业"],
      ["33", "金属制品业"],
      ["34", "通用设备制造业"],
      ["35", "专用设备制造业"],
      ["36", "汽车制造业"],
      ["37", "铁路、船舶、航空航天和其他运输设备制造业"],
      ["38", "电气机械和器材制造业"],
      ["39", "计算机、通信和其他电子设备制造业"],
      ["40", "仪器仪表制造业"],
      ["41", "其他制造业"],
      ["42", "废弃资源综合利用业"],
      ["43", "金属制品、机械和设备修理业"],
    ],
  },
  {
    code: "D",
    name: "电力、热力、燃气及水生产和供应业",
    divisions: [
      ["44", "电力、热力生产和供应业"],
      ["45", "燃气生产和供应业"],
      ["46", "水的生产和供应业"],
    ],
  },
  {
    code: "E",
    name: "建筑业",
    divisions: [
      ["47", "房屋建筑业"],
      ["48", "土木工程建筑业"],
      ["49", "建筑安装业"],
      ["50", "建筑装饰、装修和其他建筑业"],
    ],
  },
  {
    code: "F",
    name: "批发和零售业",
    divisions: [
      ["51", "批发业"],
      ["52", "零售业"],
    ],
  },
  {
    code: "G",
    name: "交通运输、仓储和邮政业",
    divisions: [
      ["53", "铁路运输业"],
      ["54", "道路运输业"],
      ["55", "水上运输业"],
      ["56", "航空运输业"],
      ["57", "管道运输业"],
      ["58", "多式联运和运输代理业"],
      ["59", "装卸搬运和仓储业"],
      ["60", "邮政业"],
    ],
  },
  {
    code: "H",
    name: "住宿和餐饮业",
    divisions: [
      ["61", "住宿业"],
      ["62", "餐饮业"],
    ],
  },
  {
    code: "I",
    name: "信息传输、软件和信息技术服务业",
    divisions: [
      ["63", "电信、广播电视和卫星传输服务"],
      ["64", "互联网和相关服务"],
      ["65", "软件和信息技术服务业"],
    ],
  },
  {
    code: "J",
    name: "金融业",
    divisions: [
      ["66", "货币金融服务"],
      ["67", "资本市场服务"],
      ["68", "保险业"],
      ["69", "其他金融业"],
    ],
  },
  { code: "K", name: "房地产业", divisions: [["70", "房地产业"]] },
  {
    code: "L",
    name: "租赁和商务服务业",
    divisions: [
      ["71", "租赁业"],
      ["72", "商务服务业"],
    ],
  },
  {
    code: "M",
    name: "科学研究和技术服务业",
    divisions: [
      ["73", "研究和试验发展"],
      ["74", "专业技术服务业"],
      ["75", "科技推广和应用服务业"],
    ],
  },
  {
    code: "N",
    name: "水利、环境和公共设施管理业",
    divisions: [
      ["76", "水利管理业"],
      ["77", "生态保护和环境治理业"],
      ["78", "公共设施管理业"],
      ["79", "土地管理业"],
    ],
  },
  {
    code: "O",
    name: "居民服务、修理和其他服务业",
    divisions: [
      ["80", "居民服务业"],
      ["81", "机动车、电子产品和日用产品修理业"],
      ["82", "其他服务业"],
    ],
  },
  { code: "P", name: "教育", divisions: [["83", "教育"]] },
  {
    code: "Q",
    name: "卫生和社会工作",
    divisions: [
      ["84", "卫生"],
      ["85", "社会工作"],
    ],
  },
  {
    code: "R",
    name: "文化、体育和娱乐业",
    divisions: [
      ["86", "新闻和出版业"],
      ["87", "广播、电视、电影和录音制作业"],
      ["88", "文化艺术业"],
      ["89", "体育"],
      ["90", "娱乐业"],
    ],
  },
  {
    code: "S",
    name: "公共管理、社会保障和社会组织",
    divisions: [
      ["91", "中国共产党机关"],
      ["92", "国家机构"],
      ["93", "人民政协、民主党派"],
      ["94", "社会保障"],
      ["95", "群众团体、社会团体和其他成员组织"],
      ["96", "基层群众自治组织及其他组织"],
    ],
  },
  { code: "T", name: "国际组织", divisions: [["97", "国际组织"]] },
];

/** Division (大类) code → its section (门类) code and name. */
export const INDUSTRY_DIVISIONS: ReadonlyMap<string, { section: string; name: string }> = new Map(
  GB4754_SECTIONS.flatMap((s) => s.divisions.map(([code, name]) => [code, { section: s.code, name }] as const)),
);

/** 单位类型 (ownership / legal form), coarse categories used on registration forms. */
export const OWNERSHIP_TYPES = {
  state_owned: "国有企业",
  collective: "集体企业",
  private: "私营企业",
  joint_stock: "股份制企业",
  foreign: "外商投资企业",
  hk_mo_tw: "港澳台商投资企业",
  individual_business: "个体工商户",
  public_institution: "事业单位",
  government: "机关",
  social_organization: "社会组织",
  other: "其他",
} as const;
export type OwnershipType = keyof typeof OWNERSHIP_TYPES;

/** 企业规模 (统计上大中小微型企业划分办法（2017）, 国统字〔2017〕213号). */
export const SIZE_CLASSES = { large: "大型", medium: "中型", small: "小型", micro: "微型" } as const;
export type SizeClass = keyof typeof SIZE_CLASSES;
