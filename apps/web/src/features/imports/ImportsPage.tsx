import { DownloadOutlined, InboxOutlined } from "@ant-design/icons";
import type { ImportJobDto } from "@jiuye/contracts";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Progress,
  Radio,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage, upload } from "../../api/client";

const STATUS_COLORS: Record<ImportJobDto["status"], string> = {
  queued: "default",
  staging: "processing",
  staged: "blue",
  committing: "processing",
  committed: "success",
  failed: "error",
};

const KIND_LABELS = {
  persons: "劳动者",
  employers: "用人单位",
  ledger: "就业失业登记",
  insurance: "参保记录",
  benefits: "失业保险金领取",
  certificates: "职业技能证书",
  dibao: "低保对象",
  disability: "持证残疾人",
} as const;
type Kind = keyof typeof KIND_LABELS;

function isActive(j: ImportJobDto) {
  return (
    j.status === "queued" || j.status === "staging" || j.status === "committing" || (j.status === "staged" && !j.dryRun)
  );
}

/** 花名册导入: template, upload (dry run or import), live progress with rows/s and ETA, error report. */
export function ImportsPage() {
  const { message } = App.useApp();
  const [dryRun, setDryRun] = useState(true);
  const [mode, setMode] = useState<"atomic" | "chunked">("atomic");
  const [kind, setKind] = useState<Kind>("persons");
  const [job, setJob] = useState<ImportJobDto | null>(null);
  const [history, setHistory] = useState<ImportJobDto[]>([]);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const loadHistory = useCallback(() => {
    api<ImportJobDto[]>("GET", "/imports").then(setHistory, () => {});
  }, []);
  useEffect(loadHistory, [loadHistory]);

  const poll = useCallback(
    (id: string) => {
      if (timer.current) clearTimeout(timer.current);
      api<ImportJobDto>("GET", `/imports/${id}`).then(
        (j) => {
          setJob(j);
          if (isActive(j)) timer.current = setTimeout(() => poll(id), 500);
          else loadHistory();
        },
        (e) => message.error(errorMessage(e)),
      );
    },
    [loadHistory, message],
  );
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  async function send(file: File) {
    setBusy(true);
    try {
      const j = await upload<ImportJobDto>(`/imports?kind=${kind}&dryRun=${dryRun}&mode=${mode}`, file);
      if (j.reused) message.info("该文件此前已上传过：显示原任务，不会重复登记");
      setJob(j);
      poll(j.id);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function commit() {
    if (!job) return;
    try {
      const j = await api<ImportJobDto>("POST", `/imports/${job.id}/commit`, { mode });
      setJob(j);
      poll(j.id);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <div>
      <Typography.Title level={3}>花名册导入</Typography.Title>
      <Typography.Paragraph type="secondary">
        先下载模板填写，建议先“试导入”只做校验；错误行可下载报告修改后重新上传。只能导入您辖区内的人员，同一文件重复上传不会重复登记。
      </Typography.Paragraph>
      <Space direction="vertical" size="large" style={{ width: "100%" }}>
        <Card title="1. 选择花名册类型并下载模板">
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)} style={{ marginRight: 16 }}>
            <Radio value="persons">劳动者</Radio>
            <Radio value="employers">用人单位</Radio>
            <Radio value="ledger">就业失业登记</Radio>
          </Radio.Group>
          <Typography.Text type="secondary" style={{ marginRight: 8 }}>
            其他系统数据：
          </Typography.Text>
          <Radio.Group value={kind} onChange={(e) => setKind(e.target.value)} style={{ marginRight: 16 }}>
            <Radio value="insurance">参保记录</Radio>
            <Radio value="benefits">失业保险金领取</Radio>
            <Radio value="certificates">职业技能证书</Radio>
            <Radio value="dibao">低保</Radio>
            <Radio value="disability">残疾人证</Radio>
          </Radio.Group>
          <Button icon={<DownloadOutlined />} href={`/api/v1/imports/templates/${kind}`} download>
            {`${KIND_LABELS[kind]}花名册模板（.xlsx）`}
          </Button>
          <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
            也可上传 CSV（UTF-8 或 GB18030 编码，首行为相同表头）
          </Typography.Text>
        </Card>
        <Card title="2. 上传花名册">
          <Space direction="vertical" style={{ width: "100%" }}>
            <Space wrap>
              <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} id="import-dry-run">
                试导入（只校验，不入库）
              </Checkbox>
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} optionType="button">
                <Radio.Button value="atomic">全部正确行一次提交</Radio.Button>
                <Radio.Button value="chunked">分批提交（大文件，可续传）</Radio.Button>
              </Radio.Group>
            </Space>
            <Upload.Dragger
              accept=".xlsx,.csv"
              multiple={false}
              showUploadList={false}
              disabled={busy}
              beforeUpload={(file) => {
                void send(file as unknown as File);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">点击或拖拽 .xlsx / .csv 文件到这里上传</p>
            </Upload.Dragger>
          </Space>
        </Card>
        {job && <JobCard job={job} onCommit={commit} />}
        <Card title="最近的导入任务">
          <Table<ImportJobDto>
            rowKey="id"
            size="small"
            dataSource={history}
            pagination={false}
            onRow={(j) => ({ onClick: () => poll(j.id), style: { cursor: "pointer" } })}
            columns={[
              { title: "文件", dataIndex: "fileName" },
              { title: "类型", dataIndex: "kind", render: (k: keyof typeof KIND_LABELS) => KIND_LABELS[k] },
              {
                title: "状态",
                dataIndex: "statusLabel",
                render: (l: string, j) => <Tag color={STATUS_COLORS[j.status]}>{l}</Tag>,
              },
              { title: "总行数", dataIndex: "totalRows" },
              { title: "已入库", dataIndex: "committedRows" },
              { title: "错误行", dataIndex: "rejectedRows" },
              { title: "上传时间", dataIndex: "createdAt", render: (v: string) => new Date(v).toLocaleString("zh-CN") },
            ]}
          />
        </Card>
      </Space>
    </div>
  );
}

function JobCard({ job, onCommit }: { job: ImportJobDto; onCommit: () => void }) {
  const active = isActive(job);
  return (
    <Card title={`3. 导入结果：${job.fileName}`} data-testid="import-job">
      <Space direction="vertical" style={{ width: "100%" }}>
        <Space>
          <Tag color={STATUS_COLORS[job.status]} data-testid="import-status">
            {job.statusLabel}
          </Tag>
          {job.dryRun && job.status === "staged" && <Typography.Text>试导入完成，数据尚未入库</Typography.Text>}
        </Space>
        {active && (
          <>
            <Progress percent={Math.round(job.progress * 100)} status="active" />
            <Typography.Text type="secondary" data-testid="import-rate">
              已处理 {job.processedRows.toLocaleString("zh-CN")} 行，{job.rowsPerSecond ?? "—"} 行/秒，预计剩余{" "}
              {job.etaSeconds === null ? "—" : `${job.etaSeconds} 秒`}
            </Typography.Text>
          </>
        )}
        {job.status === "failed" && <Alert type="error" showIcon message={job.error} />}
        {!active && job.status !== "failed" && (
          <Space size="large">
            <Statistic title="总行数" value={job.totalRows} />
            <Statistic title={job.status === "committed" ? "已入库" : "校验通过"} value={job.acceptedRows} />
            <Statistic
              title="错误行"
              value={job.rejectedRows}
              valueStyle={job.rejectedRows ? { color: "#cf1322" } : undefined}
            />
          </Space>
        )}
        <Space>
          {job.rejectedRows > 0 && !active && (
            <Button
              icon={<DownloadOutlined />}
              href={`/api/v1/imports/${job.id}/report`}
              download
              data-testid="import-report"
            >
              下载错误报告
            </Button>
          )}
          {job.status === "staged" && job.dryRun && job.acceptedRows > 0 && (
            <Button type="primary" onClick={onCommit} data-testid="import-commit">
              确认导入 {job.acceptedRows} 行正确数据
            </Button>
          )}
        </Space>
        {job.status === "committed" && (
          <Descriptions size="small" column={2}>
            <Descriptions.Item label="完成时间">
              {job.finishedAt && new Date(job.finishedAt).toLocaleString("zh-CN")}
            </Descriptions.Item>
            <Descriptions.Item label="提交方式">{job.mode === "atomic" ? "一次提交" : "分批提交"}</Descriptions.Item>
          </Descriptions>
        )}
      </Space>
    </Card>
  );
}
