import type { Household, Person } from "@jiuye/contracts";
import { Alert, Button, DatePicker, Empty, Form, Input, Popconfirm, Select, Space, Table, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "../../api/client";

const RELATIONS: Record<string, string> = {
  head: "户主",
  spouse: "配偶",
  child: "子女",
  parent: "父母",
  sibling: "兄弟姐妹",
  grandchild: "孙子女",
  grandparent: "祖父母",
  other: "其他",
};
const STATUS: Record<string, [string, string]> = {
  employed: ["就业", "green"],
  unemployed: ["登记失业", "orange"],
  none: ["无登记", "default"],
};

const RELATION_OPTIONS = Object.entries(RELATIONS).map(([value, label]) => ({ value, label }));
const refusalOf = (e: unknown) =>
  e instanceof ApiError
    ? (e.problem.errors?.map((x) => x.message) ?? [e.problem.detail ?? e.problem.title])
    : [String(e)];

/**
 * 家庭: the person's current household, each member's status, and whether it is a 零就业家庭; a case
 * worker registers the household, adds members (found by their ID number) and records moves out.
 */
export function HouseholdPanel({ person }: { person: Pick<Person, "id" | "residenceRegionCode"> }) {
  const personId = person.id;
  const [household, setHousehold] = useState<Household | null | undefined>(undefined);
  const [refusal, setRefusal] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api<Household>("GET", `/persons/${personId}/household`).then(setHousehold, (e) =>
      setHousehold(e instanceof ApiError && e.status === 404 ? null : undefined),
    );
  }, [personId]);
  useEffect(load, [load]);
  const run = async (f: () => Promise<Household>) => {
    setBusy(true);
    setRefusal(null);
    try {
      setHousehold(await f());
      return true;
    } catch (e) {
      setRefusal(refusalOf(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const refused = refusal && (
    <Alert type="error" showIcon style={{ marginBottom: 12 }} message="未能保存" description={refusal.join("；")} />
  );

  if (household === null)
    return (
      <div data-testid="household">
        <Empty description="未登记家庭信息" />
        {refused}
        <Form
          layout="inline"
          style={{ marginTop: 12 }}
          initialValues={{ relation: "head", joinedOn: dayjs() }}
          onFinish={(v: { relation: string; joinedOn: Dayjs; address?: string }) =>
            run(() =>
              api<Household>("POST", "/households", {
                regionCode: person.residenceRegionCode,
                ...(v.address ? { address: v.address } : {}),
                members: [{ personId, relation: v.relation, joinedOn: v.joinedOn.format("YYYY-MM-DD") }],
              }),
            )
          }
        >
          <Form.Item name="relation" label="本人与户主关系">
            <Select options={RELATION_OPTIONS} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="joinedOn" label="入户日期" rules={[{ required: true, message: "请选择入户日期" }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="address" label="住址">
            <Input maxLength={200} placeholder="选填" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="household-create">
            登记家庭
          </Button>
        </Form>
      </div>
    );
  if (!household) return null;
  return (
    <div data-testid="household">
      {household.zeroEmployment && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="零就业家庭：劳动年龄内有劳动能力的成员均已登记失业，应优先帮扶"
        />
      )}
      {refused}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={household.members.filter((m) => !m.leftOn)}
        columns={[
          { title: "姓名", dataIndex: "name" },
          { title: "关系", dataIndex: "relation", render: (r: string) => RELATIONS[r] },
          { title: "出生日期", dataIndex: "birthDate" },
          { title: "劳动年龄", dataIndex: "workingAge", render: (w: boolean) => (w ? "是" : "否") },
          {
            title: "状态",
            dataIndex: "status",
            render: (s: string) => <Tag color={STATUS[s]![1]}>{STATUS[s]![0]}</Tag>,
          },
          {
            title: "操作",
            key: "leave",
            render: (_: unknown, m: Household["members"][number]) => (
              <Popconfirm
                title={`${m.name}今天迁出本家庭？`}
                okText="迁出"
                cancelText="取消"
                onConfirm={() =>
                  run(() =>
                    api<Household>("POST", `/households/${household.id}/members/${m.id}/leave`, {
                      leftOn: dayjs().format("YYYY-MM-DD"),
                    }),
                  )
                }
              >
                <Button size="small" type="link" data-testid={`household-leave-${m.personId}`}>
                  迁出
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <AddMember
        busy={busy}
        onAdd={(body) => run(() => api<Household>("POST", `/households/${household.id}/members`, body))}
      />
    </div>
  );
}

/** 增加成员: the person is found by the exact ID number (an audited search), then added with the relation. */
function AddMember(props: {
  busy: boolean;
  onAdd: (body: { personId: string; relation: string; joinedOn: string }) => Promise<boolean>;
}) {
  const [form] = Form.useForm();
  const [found, setFound] = useState<Person | null>(null);
  const [notFound, setNotFound] = useState<string | null>(null);
  const find = async (idNumber: string) => {
    setFound(null);
    setNotFound(null);
    if (!idNumber.trim()) return;
    try {
      const r = await api<{ items: Person[] }>("GET", `/persons?${new URLSearchParams({ idNumber: idNumber.trim() })}`);
      if (r.items[0]) setFound(r.items[0]);
      else setNotFound("辖区内没有该身份证号码的劳动者，请先登记基本信息");
    } catch (e) {
      setNotFound(refusalOf(e).join("；"));
    }
  };
  return (
    <Form
      form={form}
      layout="inline"
      style={{ marginTop: 12 }}
      initialValues={{ relation: "spouse", joinedOn: dayjs() }}
      onFinish={async (v: { relation: string; joinedOn: Dayjs }) => {
        if (!found) return;
        const ok = await props.onAdd({
          personId: found.id,
          relation: v.relation,
          joinedOn: v.joinedOn.format("YYYY-MM-DD"),
        });
        if (ok) {
          form.resetFields();
          setFound(null);
        }
      }}
    >
      <Form.Item name="idNumber" label="增加成员">
        <Input.Search
          placeholder="成员身份证号码"
          enterButton="查找"
          onSearch={find}
          style={{ width: 260 }}
          data-testid="household-member-id"
        />
      </Form.Item>
      {notFound && <Alert type="warning" showIcon message={notFound} style={{ marginTop: 8, width: "100%" }} />}
      {found && (
        <Space wrap style={{ marginTop: 8 }}>
          <Tag>
            {found.name}（{found.idNumberMasked}）
          </Tag>
          <Form.Item name="relation" label="与户主关系">
            <Select options={RELATION_OPTIONS} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name="joinedOn" label="入户日期" rules={[{ required: true, message: "请选择入户日期" }]}>
            <DatePicker />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={props.busy} data-testid="household-add">
            加入家庭
          </Button>
        </Space>
      )}
    </Form>
  );
}
