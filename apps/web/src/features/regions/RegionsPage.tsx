import type { Region } from "@jiuye/contracts";
import { Card, Input, List, Tag, Tree, Typography } from "antd";
import type { DataNode } from "antd/es/tree";
import { useEffect, useState } from "react";
import { api, query } from "../../api/client";
import { useAuth } from "../../app/auth-context";
import { REGION_LEVEL_LABELS } from "../../components/labels";

function toNode(r: Region): DataNode {
  return { key: r.code, title: `${r.name}（${r.code}）`, isLeaf: r.childCount === 0 };
}

function attach(nodes: DataNode[], key: React.Key, children: DataNode[]): DataNode[] {
  return nodes.map((n) =>
    n.key === key ? { ...n, children } : n.children ? { ...n, children: attach(n.children, key, children) } : n,
  );
}

/** 行政区划 browser: a lazily loaded tree starting at the user's own scope. */
export function RegionsPage() {
  const { me } = useAuth();
  const [tree, setTree] = useState<DataNode[]>([]);
  const [found, setFound] = useState<Region[] | null>(null);
  useEffect(() => {
    if (me?.regionCode)
      api<{ region: Region }>("GET", `/regions/${me.regionCode}`).then((d) => setTree([toNode(d.region)]));
    else api<Region[]>("GET", "/regions").then((rs) => setTree(rs.map(toNode)));
  }, [me?.regionCode]);
  return (
    <div>
      <Typography.Title level={3}>行政区划</Typography.Title>
      <Typography.Paragraph type="secondary">
        统计用区划代码：省2位、市4位、县6位、街道/乡镇9位、社区/村12位。
      </Typography.Paragraph>
      <Input.Search
        placeholder="按名称查找，如：新街口"
        allowClear
        style={{ maxWidth: 360, marginBottom: 16 }}
        onSearch={(q) =>
          q.trim() ? api<Region[]>("GET", `/regions/search${query({ q })}`).then(setFound) : setFound(null)
        }
        data-testid="region-search"
      />
      {found && (
        <Card size="small" title={`查找结果（${found.length}）`} style={{ marginBottom: 16 }}>
          <List
            size="small"
            dataSource={found}
            renderItem={(r) => (
              <List.Item>
                {r.name} <Tag>{REGION_LEVEL_LABELS[r.level]}</Tag>
                <Typography.Text type="secondary">{r.code}</Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card>
        <Tree
          treeData={tree}
          loadData={async (node) => {
            const children = await api<Region[]>("GET", `/regions${query({ parent: String(node.key) })}`);
            setTree((t) => attach(t, node.key, children.map(toNode)));
          }}
        />
      </Card>
    </div>
  );
}
