import type { User } from "@jiuye/contracts";
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, query } from "../../api/client";
import { useAuth } from "../../app/auth-context";
import { ROLE_LABELS } from "../../components/labels";
import { RegionSelect } from "../../components/RegionSelect";

type Page = { items: User[]; total: number; page: number; pageSize: number };

export function UsersPage() {
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const [data, setData] = useState<Page | null>(null);
  const [page, setPage] = useState(1);
  const [q, setQ] = useState("");
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();

  const load = useCallback(() => {
    api<Page>("GET", `/users${query({ page, pageSize: 20, q })}`).then(setData, (e) => message.error(errorMessage(e)));
  }, [page, q, message]);
  useEffect(load, [load]);

  function showPassword(title: string, pw: string | null) {
    if (!pw) return;
    modal.info({
      title,
      content: (
        <Typography.Paragraph copyable code data-testid="temp-password">
          {pw}
        </Typography.Paragraph>
      ),
    });
  }

  async function create(v: { username: string; displayName: string; role: string; regionCode: string }) {
    try {
      const r = await api<{ user: User; temporaryPassword: string | null }>("POST", "/users", v);
      setCreating(false);
      form.resetFields();
      load();
      showPassword(`已创建 ${r.user.username}，临时密码（仅显示一次，首次登录须修改）`, r.temporaryPassword);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  async function act(u: User, action: "disable" | "enable" | "reset" | "reset-totp") {
    try {
      if (action === "reset") {
        const r = await api<{ temporaryPassword: string }>("POST", `/users/${u.id}/reset-password`);
        showPassword(`${u.username} 的临时密码（仅显示一次）`, r.temporaryPassword);
      } else if (action === "reset-totp") {
        await api("POST", `/users/${u.id}/reset-totp`);
        message.success("已重置动态口令");
      } else {
        await api("PATCH", `/users/${u.id}`, { disabled: action === "disable" });
        message.success(action === "disable" ? "已停用" : "已启用");
      }
      load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <div>
      <Typography.Title level={3}>用户管理</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="用户名或姓名"
          allowClear
          onSearch={(v) => {
            setPage(1);
            setQ(v);
          }}
          style={{ width: 240 }}
        />
        <Button type="primary" onClick={() => setCreating(true)} data-testid="create-user">
          新建员工账号
        </Button>
      </Space>
      <Table<User>
        rowKey="id"
        dataSource={data?.items}
        loading={!data}
        pagination={{
          current: page,
          total: data?.total,
          pageSize: 20,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 个账号`,
        }}
        columns={[
          { title: "用户名", dataIndex: "username" },
          { title: "姓名", dataIndex: "displayName" },
          { title: "角色", dataIndex: "role", render: (r: User["role"]) => ROLE_LABELS[r] },
          { title: "管辖范围", dataIndex: "regionName", render: (n, u) => n ?? u.regionCode ?? "全部" },
          {
            title: "状态",
            render: (_, u) => (
              <Space size={4}>
                {u.disabled ? <Tag color="red">已停用</Tag> : <Tag color="green">正常</Tag>}
                {u.locked && <Tag color="orange">已锁定</Tag>}
                {u.totpEnabled && <Tag color="blue">动态口令</Tag>}
              </Space>
            ),
          },
          {
            title: "操作",
            render: (_, u) =>
              u.id === me?.id ? null : (
                <Space size={4} wrap>
                  {u.disabled ? (
                    <Button size="small" onClick={() => act(u, "enable")}>
                      启用
                    </Button>
                  ) : (
                    <Popconfirm title="停用后该账号无法登录，确定？" onConfirm={() => act(u, "disable")}>
                      <Button size="small" danger>
                        停用
                      </Button>
                    </Popconfirm>
                  )}
                  <Popconfirm title="生成新的临时密码并解除锁定？" onConfirm={() => act(u, "reset")}>
                    <Button size="small">重置密码</Button>
                  </Popconfirm>
                  {u.totpEnabled && (
                    <Popconfirm title="重置后该用户须重新绑定动态口令，确定？" onConfirm={() => act(u, "reset-totp")}>
                      <Button size="small">重置口令</Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <Modal
        title="新建员工账号"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText="创建"
        cancelText="取消"
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item
            name="username"
            label="用户名"
            rules={[
              { required: true, pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: "3-64位字母、数字、下划线、点或横线" },
            ]}
          >
            <Input id="new-username" />
          </Form.Item>
          <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: "请输入姓名" }]}>
            <Input id="new-displayname" />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true, message: "请选择角色" }]}>
            <Select
              id="new-role"
              options={(["case_worker", "analyst", "auditor", "admin"] as const).map((r) => ({
                value: r,
                label: ROLE_LABELS[r],
              }))}
            />
          </Form.Item>
          <Form.Item name="regionCode" label="管辖区划" rules={[{ required: true, message: "请选择管辖区划" }]}>
            <RegionSelect id="new-region" within={me?.regionCode} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
