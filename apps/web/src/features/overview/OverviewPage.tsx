import type { Overview } from "@jiuye/contracts";
import { Card, Col, Empty, Row, Statistic, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { api, errorMessage } from "../../api/client";
import { useAuth } from "../../app/auth-context";
import { EChart } from "../../components/EChart";
import { ROLE_LABELS } from "../../components/labels";
import { personsByRegionOption } from "./overview-chart";

export function OverviewPage() {
  const { me } = useAuth();
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Overview>("GET", "/overview").then(setData, (e) => setError(errorMessage(e)));
  }, []);
  const option = useMemo(() => (data?.byRegion.length ? personsByRegionOption(data.byRegion) : null), [data]);
  return (
    <div>
      <Typography.Title level={3}>工作台</Typography.Title>
      <Typography.Paragraph type="secondary">
        {me ? `${ROLE_LABELS[me.role]}，管辖范围：${data?.scopeName ?? me.regionName ?? "—"}` : null}
      </Typography.Paragraph>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Row gutter={[16, 16]}>
        {data?.cards.map((c) => (
          <Col key={c.key} xs={24} sm={12} lg={6}>
            <Card>
              <Statistic title={c.label} value={c.value} />
            </Card>
          </Col>
        ))}
        {data && data.cards.length === 0 && (
          <Col span={24}>
            <Card>
              <Empty description="欢迎使用就业促进服务平台。更多功能将陆续开放。" />
            </Card>
          </Col>
        )}
      </Row>
      {option && (
        <Card title="各下级区划登记劳动者人数" style={{ marginTop: 16 }}>
          <EChart option={option} />
        </Card>
      )}
    </div>
  );
}
