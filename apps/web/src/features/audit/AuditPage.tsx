import type { AuditEntry } from "@jiuye/contracts";
import { Alert, App, Button, Input, Space, Table, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, query } from "../../api/client";
import { ROLE_LABELS } from "../../components/labels";

type Page = { items: AuditEntry[]; total: number; page: number; pageSize: number };

const ACTION_LABELS: Record<string, string> = {
  "auth.login": "登录",
  "auth.logout": "退出",
  "account.password_change": "修改密码",
  "account.totp_setup": "生成动态口令密钥",
  "account.totp_enable": "启用动态口令",
  "user.create": "创建账号",
  "user.update": "修改账号",
  "user.disable": "停用账号",
  "user.enable": "启用账号",
  "user.reset_password": "重置密码",
  "user.reset_totp": "重置动态口令",
  "person.read": "查看劳动者",
  "person.search": "查询劳动者",
  "person.create": "登记劳动者",
  "person.reveal": "查看敏感信息",
};

export function AuditPage() {
  const { message } = App.useApp();
  const [data, setData] = useState<Page | null>(null);
  const [page, setPage] = useState(1);
  const [action, setAction] = useState("");
  const [verify, setVerify] = useState<{ ok: boolean; checked: number; brokenAtSeq: number | null } | null>(null);
  const load = useCallback(() => {
    api<Page>("GET", `/audit${query({ page, pageSize: 20, action })}`).then(setData, (e) =>
      message.error(errorMessage(e)),
    );
  }, [page, action, message]);
  useEffect(load, [load]);
  return (
    <div>
      <Typography.Title level={3}>审计日志</Typography.Title>
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          placeholder="操作类型前缀，如 person."
          allowClear
          onSearch={(v) => {
            setPage(1);
            setAction(v);
          }}
          style={{ width: 260 }}
        />
        <Button
          onClick={() =>
            api<typeof verify>("POST", "/audit/verify").then(setVerify, (e) => message.error(errorMessage(e)))
          }
          data-testid="audit-verify"
        >
          校验哈希链
        </Button>
      </Space>
      {verify && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={verify.ok ? "success" : "error"}
          message={
            verify.ok
              ? `哈希链完整：已校验 ${verify.checked} 条记录`
              : `哈希链在第 ${verify.brokenAtSeq} 条记录处断裂，日志可能被篡改`
          }
          data-testid="audit-verify-result"
        />
      )}
      <Table<AuditEntry>
        rowKey="seq"
        size="small"
        dataSource={data?.items}
        loading={!data}
        pagination={{
          current: page,
          total: data?.total,
          pageSize: 20,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 条`,
        }}
        columns={[
          { title: "序号", dataIndex: "seq", width: 80 },
          { title: "时间", dataIndex: "at", render: (v: string) => dayjs(v).format("YYYY-MM-DD HH:mm:ss") },
          { title: "操作人", render: (_, e) => e.actorName ?? (e.actorId ? e.actorId.slice(0, 8) : "匿名") },
          {
            title: "角色",
            dataIndex: "actorRole",
            render: (r: string | null) => (r ? (ROLE_LABELS[r as keyof typeof ROLE_LABELS] ?? r) : "—"),
          },
          { title: "来源地址", dataIndex: "ip" },
          { title: "操作", dataIndex: "action", render: (a: string) => ACTION_LABELS[a] ?? a },
          {
            title: "对象",
            render: (_, e) => (e.subjectType ? `${e.subjectType}:${(e.subjectId ?? "").slice(0, 8)}` : "—"),
          },
          { title: "字段", dataIndex: "fields", render: (f: string[]) => f.join("、") },
          { title: "目的", dataIndex: "purpose" },
          {
            title: "结果",
            dataIndex: "outcome",
            render: (o: string) => <Tag color={o === "ok" ? "green" : "red"}>{o === "ok" ? "成功" : "拒绝"}</Tag>,
          },
        ]}
      />
    </div>
  );
}
