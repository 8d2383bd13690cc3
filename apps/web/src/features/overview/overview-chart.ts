/** ECharts option for "people registered per sub-region": bars sorted high to low. */
export function personsByRegionOption(rows: Array<{ name: string; persons: number }>) {
  const sorted = [...rows].sort((a, b) => b.persons - a.persons || a.name.localeCompare(b.name, "zh"));
  return {
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 16, top: 24, bottom: 72 },
    xAxis: {
      type: "category",
      data: sorted.map((r) => r.name),
      axisLabel: { rotate: sorted.length > 6 ? 40 : 0, interval: 0 },
    },
    yAxis: { type: "value", name: "人数", minInterval: 1 },
    series: [{ type: "bar", name: "登记劳动者", data: sorted.map((r) => r.persons), itemStyle: { color: "#1677ff" } }],
  };
}
