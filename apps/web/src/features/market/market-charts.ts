/** ECharts option for 求人倍率: vacancies and seekers side by side, the ratio in the tooltip label. */
export function vacancyRatioOption(
  rows: Array<{ name: string; vacancies: number; seekers: number; ratio: number | null }>,
) {
  const sorted = [...rows]
    .sort((a, b) => b.vacancies + b.seekers - (a.vacancies + a.seekers) || a.name.localeCompare(b.name, "zh"))
    .slice(0, 20);
  return {
    tooltip: { trigger: "axis" },
    legend: { data: ["岗位需求人数", "求职人数"] },
    grid: { left: 48, right: 16, top: 40, bottom: 80 },
    xAxis: {
      type: "category",
      data: sorted.map((r) => (r.ratio === null ? r.name : `${r.name}（${r.ratio}）`)),
      axisLabel: { rotate: sorted.length > 5 ? 35 : 0, interval: 0 },
    },
    yAxis: { type: "value", name: "人数", minInterval: 1 },
    series: [
      { type: "bar", name: "岗位需求人数", data: sorted.map((r) => r.vacancies), itemStyle: { color: "#1677ff" } },
      { type: "bar", name: "求职人数", data: sorted.map((r) => r.seekers), itemStyle: { color: "#faad14" } },
    ],
  };
}

/** ECharts option for 工资价位: the median (P50) of each published group, in 元/月. */
export function wagesOption(rows: Array<{ name: string; values: number[] | null }>) {
  const shown = rows
    .filter((r) => r.values)
    .sort((a, b) => (b.values?.[2] ?? 0) - (a.values?.[2] ?? 0))
    .slice(0, 20);
  return {
    tooltip: { trigger: "axis" },
    grid: { left: 64, right: 16, top: 24, bottom: 80 },
    xAxis: {
      type: "category",
      data: shown.map((r) => r.name),
      axisLabel: { rotate: shown.length > 5 ? 35 : 0, interval: 0 },
    },
    yAxis: { type: "value", name: "元/月" },
    series: [
      {
        type: "bar",
        name: "中位数（P50）",
        data: shown.map((r) => (r.values?.[2] ?? 0) / 100),
        itemStyle: { color: "#52c41a" },
      },
    ],
  };
}
