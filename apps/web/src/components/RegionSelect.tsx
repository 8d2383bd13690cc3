import type { Region } from "@jiuye/contracts";
import { Select } from "antd";
import { type CSSProperties, useState } from "react";
import { api, query } from "../api/client";
import { REGION_LEVEL_LABELS } from "./labels";

/** Picks a region by typing part of its name (searches the server). */
export function RegionSelect(props: {
  value?: string;
  onChange?: (v: string) => void;
  within?: string | null;
  placeholder?: string;
  id?: string;
  style?: CSSProperties;
  allowClear?: boolean;
}) {
  const [options, setOptions] = useState<Region[]>([]);
  return (
    <Select
      id={props.id}
      style={props.style}
      allowClear={props.allowClear}
      showSearch
      value={props.value}
      placeholder={props.placeholder ?? "输入区划名称搜索，如：新街口"}
      filterOption={false}
      onSearch={(q) => {
        if (!q.trim()) return;
        api<Region[]>("GET", `/regions/search${query({ q, within: props.within ?? undefined })}`).then(setOptions, () =>
          setOptions([]),
        );
      }}
      onChange={props.onChange}
      options={options.map((r) => ({ value: r.code, label: `${r.name}（${REGION_LEVEL_LABELS[r.level]} ${r.code}）` }))}
      notFoundContent="无匹配区划"
    />
  );
}
