//! The command line: raw flags as clap reads them, then typed values.

use std::path::PathBuf;
use std::process::ExitCode;

use bianmin_core::{authority, date, forms, request, Error};
use chrono::NaiveDate;
use clap::error::ErrorKind;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bianmin",
    version,
    about = "便民：乡镇便民服务中心的命令行工具（建库、演示数据、编制统计）",
    long_about = None
)]
pub struct Cli {
    /// 数据库：SQLite 文件路径，或多窗口共用的 PostgreSQL 地址 postgres://用户名:密码@主机:端口/库名；
    /// 优先于环境变量 BIANMIN_DB，再其次是应用自己的数据库
    #[arg(long, global = true, value_name = "PATH|URL")]
    pub db: Option<std::ffi::OsString>,

    /// 通过大厅服务器运行（https://地址:端口，本机可用 http://127.0.0.1:端口）；账号取自环境变量
    /// BIANMIN_USER 和 BIANMIN_PASSWORD；首次连接先用 trust 核对并信任服务器的证书指纹
    #[arg(long, global = true, value_name = "URL")]
    pub server: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 创建或升级数据库；--demo 载入三个示范乡镇的演示数据（可重复运行）
    Init {
        /// 载入演示数据：朱昌镇、东风镇、金华镇
        #[arg(long)]
        demo: bool,
        /// 演示办件：不写时生成运行当天之前四周的办件（工作日、办公时间、上午高峰，已有则不再添）；写 N 则改为在过去三年生成 N 件（每次运行都会再添 N 件），写 0 则不生成
        #[arg(long, value_name = "N", requires = "demo", allow_hyphen_values = true)]
        history: Option<String>,
    },
    /// 事项目录：导入、导出、查询
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// 工作人员
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// 权限核验：某工作人员今天能否对某事项咨询、受理、审批、转报或执法
    Authority {
        /// 工号（如 DF0011）
        #[arg(long, value_name = "NO")]
        staff: String,
        /// 事项编码（如 LY-101）
        #[arg(long, value_name = "CODE")]
        item: String,
        /// consult | accept | approve | forward | enforce
        #[arg(long, value_name = "ACTION")]
        action: String,
        /// 日期，YYYY-MM-DD；默认今天（北京时间）
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 办件：窗口受理、补正、转报、审批、办结、取件、撤回、查询
    Request {
        #[command(subcommand)]
        command: RequestCommand,
    },
    /// 工作日历：按国务院节假日安排计算期限，导入新一年的安排
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// 乡镇：查看或设定上级人民政府（受理对本镇行政行为的复议申请）
    Town {
        /// 乡镇名称（如 东风镇）
        #[arg(long, value_name = "NAME")]
        town: String,
        /// 设定上级人民政府，如 贵阳市乌当区人民政府
        #[arg(long, value_name = "NAME")]
        superior: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 编制与在岗情况：按单位和乡镇统计
    Staffing {
        /// 只看这个乡镇（如 东风镇）
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 统计日期，YYYY-MM-DD；默认今天（北京时间）
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
        /// 打印用的 PDF 报表（A4 横向）写到这个文件
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// 导出 Excel 表格（.xlsx）到这个文件
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    /// 窗口数测算（Erlang C）：给定每小时到达人数和平均办理时长，算出达到服务目标所需的窗口数
    Counters {
        /// 每小时到达人数（不给出时按 --town 的近四周办件记录逐个窗口、逐小时测算）
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        arrivals_per_hour: Option<String>,
        /// 平均办理时长（分钟）
        #[arg(long, value_name = "M", allow_hyphen_values = true)]
        handling_min: Option<String>,
        /// 按办件记录测算的乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 与哪一天的排班对比，YYYY-MM-DD；默认今天
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// 目标等候时间（秒），默认 900（15 分钟）
        #[arg(long, value_name = "S", allow_hyphen_values = true)]
        target_wait_s: Option<String>,
        /// 目标服务水平（0 到 1 的小数），默认 0.8
        #[arg(long, value_name = "P", allow_hyphen_values = true)]
        service_level: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 测试用：连续受理 COUNT 件，每件提交后在标准输出打印其编号（崩溃测试用，不在帮助中列出）
    #[command(hide = true)]
    StressIntake {
        #[arg(long)]
        count: u32,
        #[arg(long)]
        staff: String,
        #[arg(long)]
        item: String,
        /// 后台检查点：库空闲 N 毫秒后执行，每件受理后停 N+1 毫秒（崩溃测试用）
        #[arg(long)]
        checkpoint_idle_ms: Option<u64>,
    },
    /// 审计日志：verify 逐条核对哈希链，找出被改动或删除的记录
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// 信任大厅服务器的证书（与 --server 同用）：输入服务器启动时显示的指纹，核对一致后记下
    Trust {
        #[arg(value_name = "FINGERPRINT")]
        fingerprint: String,
    },
    /// 以数据库所有者身份，把一个什么都不拥有的 PostgreSQL 角色设为大厅服务器的连接角色：各数据表可增删改查，审计日志只可插入和查询
    GrantServerRole {
        /// 角色名（须已用 CREATE ROLE 创建）
        #[arg(value_name = "ROLE")]
        role: String,
        /// 以 JSON 输出所授权限
        #[arg(long)]
        json: bool,
    },
    /// 大厅服务器：独占数据库，以 JSON 接口为各窗口服务（明文 HTTP 只在本机回环地址上）；Ctrl-C 停止
    Serve {
        /// 监听地址和端口：本机回环地址用明文 HTTP（如 127.0.0.1:8443），其他地址（如 192.168.1.10:8443 或 0.0.0.0:8443）用 TLS；端口写 0 则自选空闲端口
        #[arg(long, value_name = "ADDR:PORT")]
        listen: String,
        /// 服务器证书和私钥所在目录（首次启动时生成）；默认在便民的数据目录下 server-tls
        #[arg(long, value_name = "DIR")]
        tls_dir: Option<PathBuf>,
    },
    /// 排队叫号：取号、叫号、办结、过号、重呼、过号重排、转窗口、当日统计
    Queue {
        #[command(subcommand)]
        command: QueueCommand,
    },
    /// 好差评：群众对办件的评价（一事一评）
    Rating {
        #[command(subcommand)]
        command: RatingCommand,
    },
    /// 差评回访：回访、核实、整改、答复办结
    Followup {
        #[command(subcommand)]
        command: FollowupCommand,
    },
    /// 办件绩效报表：收件、受理、即办、按时/提前/超期办结、当前超期、转报部门的答复用时与得分、按窗口/人员/事项、好差评
    Report {
        /// 乡镇；不写则统计全县各乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 起始日期（收件日期），YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        from: String,
        /// 截止日期（含），YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        to: String,
        /// 只列出某个数字背后的办件：received、accepted、completed、on_time、early、late、on_the_spot、refused、forwarded、answered、open、overdue_now
        #[arg(long, value_name = "FIGURE")]
        figure: Option<String>,
        /// 与 --figure 同用：只看某一组，如 post=民政窗口、department=市林业局、clerk=DF0013、item=MZ-001
        #[arg(long, value_name = "DIM=KEY", requires = "figure")]
        group: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
        /// 打印用的 PDF 报表（A4）写到这个文件
        #[arg(long, value_name = "FILE", conflicts_with_all = ["xlsx", "json", "figure"])]
        pdf: Option<PathBuf>,
        /// 导出 Excel 表格（.xlsx）到这个文件
        #[arg(long, value_name = "FILE", conflicts_with_all = ["pdf", "json", "figure"])]
        xlsx: Option<PathBuf>,
    },
    /// 大厅设备：为取号机、等候区大屏、窗口评价器开通、查看、停用设备会话
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// 个人信息留存期限（个人信息保护法第十九条、第四十七条）：查看、设置，到期遮盖完整号码
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// 备份数据库到一个新文件（SQLite 在线备份，可在使用中进行）
    Backup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// 从备份恢复数据库；恢复前的数据库另存在旁边
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// 把本机（单窗口）的 SQLite 数据库整体迁移到一个空的 PostgreSQL 数据库，逐表核对行数和内容哈希
    MigrateTo {
        /// 目标：postgres://用户名:密码@主机:端口/数据库名（必须是空数据库）
        #[arg(value_name = "URL")]
        url: String,
        /// 以 JSON 输出核对结果
        #[arg(long)]
        json: bool,
    },
    /// 打印表单为 PDF：受理回执、一次性告知书、不予受理通知书、转报交接单
    Form {
        /// 办件编号（receipt、notice、refusal、decision 需要）
        #[arg(value_name = "NO")]
        number: Option<String>,
        /// receipt | notice | refusal | decision | handover | staffing
        #[arg(long, value_name = "KIND")]
        kind: String,
        /// 转报交接单的接收部门
        #[arg(long, value_name = "NAME")]
        department: Option<String>,
        /// 转报交接单的乡镇；默认第一个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 转报交接单的转报日期，YYYY-MM-DD；默认今天
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// 纸张：A4（默认）或 A5
        #[arg(long, value_name = "SIZE", default_value = "A4")]
        paper: String,
        /// 经办人工号，记入打印记录
        #[arg(long, value_name = "NO")]
        staff: Option<String>,
        /// 输出的 PDF 文件
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// 以 JSON 输出表单信息
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 核对审计日志的哈希链（及防篡改触发器）
    Verify {
        /// 以 JSON 输出（含记录数 records 与最新哈希 head）
        #[arg(long)]
        json: bool,
        /// 核对日志仍延续此前记下的头（日结单上的“记录数:哈希”），被截短或改写则失败
        #[arg(long, value_name = "N:HASH")]
        expect: Option<String>,
    },
}

/// The counter's clerk, with `--json`.
#[derive(Debug, clap::Args)]
pub struct CounterArg {
    /// 窗口工作人员工号（按当天排班确定所叫的窗口）
    #[arg(long, value_name = "NO")]
    pub staff: String,
    /// 以 JSON 输出
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum QueueCommand {
    /// 取号：为某个窗口取一个号（如 B012）；--priority 走绿色通道（老年人、残疾人、孕妇、军人）
    Take {
        /// 乡镇；默认第一个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 窗口名称（如 民政窗口）
        #[arg(long, value_name = "NAME")]
        post: String,
        /// 绿色通道：可写 老年人、残疾人、孕妇、军人，不写类别时记为 绿色通道
        #[arg(long, value_name = "WHO", num_args = 0..=1, default_missing_value = "绿色通道")]
        priority: Option<String>,
        /// 取号后把取号凭条（热敏纸 PDF）写到这个文件
        #[arg(long, value_name = "FILE")]
        slip: Option<PathBuf>,
        /// 凭条的纸宽（毫米）：58 或 80，默认 80；与 --slip 一起用
        #[arg(long, value_name = "MM")]
        width: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 叫号：办结正在办理的号，叫本窗口的下一个号（绿色通道优先）
    Call {
        #[command(flatten)]
        who: CounterArg,
    },
    /// 办结正在办理的号，可关联为其受理的办件
    Finish {
        #[command(flatten)]
        who: CounterArg,
        /// 为这位群众受理的办件编号（多个用逗号分隔）
        #[arg(long, value_name = "NO")]
        request: Option<String>,
    },
    /// 过号：叫号后群众不在
    Skip {
        #[command(flatten)]
        who: CounterArg,
    },
    /// 重呼：再叫一次正在办理的号
    Recall {
        #[command(flatten)]
        who: CounterArg,
    },
    /// 过号重排：过号的群众一小时内回来，排在当前等候的两位之后
    Return {
        /// 乡镇；默认第一个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 号码（如 B012）
        #[arg(long, value_name = "TICKET")]
        ticket: String,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 转窗口：把正在办理的号转到另一个窗口排队（按取号时间排）
    Transfer {
        #[command(flatten)]
        who: CounterArg,
        /// 转去的窗口名称
        #[arg(long, value_name = "NAME")]
        post: String,
    },
    /// 等候区大屏的内容：各窗口正在叫的号、各窗口接下来的号和等候人数、播报语
    Board {
        /// 乡镇；默认第一个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 当日统计：取号、办结、等候时间（中位数、90% 分位）、办理时长，按窗口和小时
    Stats {
        /// 乡镇；默认第一个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 日期，YYYY-MM-DD；默认今天
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RatingCommand {
    /// 记录群众对一件办件的评价：5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意；1 和 2 自动生成差评回访
    Add {
        /// 办件编号
        #[arg(long, value_name = "NO")]
        request: String,
        /// 评价等级 1 至 5
        #[arg(long, value_name = "1..5", allow_hyphen_values = true)]
        grade: String,
        /// 不满意的原因（多个用顿号或逗号分隔）
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// 群众的意见（选填，最多 500 字）
        #[arg(long, value_name = "TEXT")]
        comment: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 列出评价（新的在前）；--bad 只列差评及其回访
    List {
        /// 只看这个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 只列差评（不满意、非常不满意）
        #[arg(long)]
        bad: bool,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum FollowupCommand {
    /// 记录已回访群众
    Contact {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_name = "NO")]
        staff: String,
    },
    /// 记录已核实情况
    Verify {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_name = "NO")]
        staff: String,
    },
    /// 记录已整改
    Fix {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long, value_name = "NO")]
        staff: String,
    },
    /// 答复群众并办结回访
    Close {
        #[arg(value_name = "ID")]
        id: String,
        /// 经办的镇领导工号
        #[arg(long, value_name = "NO")]
        staff: String,
        /// 处理结果（答复群众的内容）
        #[arg(long, value_name = "TEXT")]
        result: String,
    },
    /// 查看或设置本大厅差评回访的办结期限（工作日；未设置时为 5 个工作日）
    Period {
        /// 乡镇（默认第一个）
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 新的期限，1 至 30 个工作日
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        days: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// 开通一台设备：打印它在浏览器中打开的链接（含设备令牌，只显示这一次）
    Open {
        /// 设备类型：kiosk（取号机）、screen（等候区大屏）、pad（评价器）
        #[arg(long, value_name = "KIND")]
        kind: String,
        /// 设备名称，如“大厅东侧取号机”“3 号窗口评价器”
        #[arg(long, value_name = "TEXT")]
        label: String,
        /// 乡镇（默认第一个）
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 评价器所属窗口的工作人员工号（只用于评价器）
        #[arg(long, value_name = "NO")]
        staff: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 列出大厅设备（新的在前）
    List {
        /// 只看这个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 停用一台设备：它的会话立即失效
    Close {
        #[arg(value_name = "ID")]
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// 查看留存期限，以及今天到期待处理、已处理的办件数
    Show {
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 设置留存期限：办件结束（办结、不予受理、撤回）后保存完整号码的年数；--off 取消
    Set {
        /// 年数，1 至 30
        #[arg(
            long,
            value_name = "N",
            allow_hyphen_values = true,
            required_unless_present = "off",
            conflicts_with = "off"
        )]
        years: Option<String>,
        /// 取消留存期限：此后不再遮盖任何数据
        #[arg(long)]
        off: bool,
    },
    /// 把已过留存期限的办件的完整身份证号、电话、代办人身份证号换为遮盖形式（记入审计日志）
    Run {
        /// 试运行：只说明将改动哪些办件，不作任何改动
        #[arg(long)]
        dry_run: bool,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// 导入事项目录（.xlsx，或含 事项.csv、材料.csv、委托书.csv 的文件夹）；全部成功或全部不导入
    Import {
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// 只导入到这个乡镇；默认导入到所有乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
    },
    /// 导出事项目录（.xlsx 文件名，或一个文件夹）
    Export {
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// 导出这个乡镇的目录；默认所有乡镇（须一致）
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
    },
    /// 列出事项（可按名称、编码或拼音首字母查找）
    List {
        /// 乡镇；默认第一个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 查找：名称、编码或拼音首字母（如 lsjz）
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct StaffArg {
    /// 经办人工号
    #[arg(long, value_name = "NO")]
    pub staff: String,
    /// 以 JSON 输出
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// 窗口受理：材料齐全即受理，缺材料出一次性告知，无权受理则不予受理
    New {
        /// 事项编码
        #[arg(long, value_name = "CODE")]
        item: String,
        /// 申请人姓名（法人填单位名称）
        #[arg(long, value_name = "NAME")]
        name: String,
        /// 申请人身份证号
        #[arg(long, value_name = "IDNUMBER")]
        id: Option<String>,
        /// 法人的统一社会信用代码（代替 --id）
        #[arg(long, value_name = "CODE")]
        credit_code: Option<String>,
        /// 手机号
        #[arg(long, value_name = "P")]
        phone: Option<String>,
        /// 已交材料，名称或清单序号，逗号分隔；不填则视为必需材料齐全
        #[arg(long, value_name = "M,M")]
        materials: Option<String>,
        /// 备注（最多 500 字）
        #[arg(long, value_name = "TEXT")]
        remark: Option<String>,
        /// 告知承诺：以申请人书面承诺代替的材料，名称或清单序号，逗号分隔
        #[arg(long, value_name = "M,M")]
        pledge: Option<String>,
        /// 收件待审：先收下材料，5 个工作日内审查后受理或一次性告知
        #[arg(long)]
        examine_later: bool,
        /// 代办人姓名（帮办代办时，三项同填）
        #[arg(long, value_name = "NAME")]
        agent_name: Option<String>,
        /// 代办人身份证号
        #[arg(long, value_name = "IDNUMBER")]
        agent_id: Option<String>,
        /// 代办人与申请人的关系，如 子女、村委会代办员
        #[arg(long, value_name = "R")]
        agent_relation: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 咨询记录（不登记身份证号）
    Consult {
        #[arg(long, value_name = "CODE")]
        item: String,
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 查看办件
    Show {
        #[arg(value_name = "NO")]
        number: String,
        #[arg(long)]
        json: bool,
    },
    /// 列出办件
    List {
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 只列已超期的
        #[arg(long)]
        overdue: bool,
        /// today | incomplete | forwarded | overdue | pending（待审批）| all（默认 all）
        #[arg(long, value_name = "LIST")]
        list: Option<String>,
        /// 按编号、身份证号（全号或后六位）、姓名或姓名拼音首字母查找
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 补正：登记补交的材料，齐全即受理
    Accept {
        #[arg(value_name = "NO")]
        number: String,
        #[arg(long, value_name = "M,M")]
        materials: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 不予受理
    Refuse {
        #[arg(value_name = "NO")]
        number: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 转报市级部门
    Forward {
        #[arg(value_name = "NO")]
        number: String,
        #[arg(long, value_name = "NAME")]
        department: Option<String>,
        /// 部门办结日期；默认按承诺时限推算
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// 转报到事项实施主体以外的部门时必填：理由
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 登记部门办理结果
    Result {
        #[arg(value_name = "NO")]
        number: String,
        /// approved | refused
        #[arg(long, value_name = "RESULT")]
        result: String,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 本镇审批决定
    Decide {
        #[arg(value_name = "NO")]
        number: String,
        /// approved | refused
        #[arg(long, value_name = "RESULT")]
        result: String,
        /// 审批意见（准予时可省略，即“同意。”；不予时须写明理由）。也可写作 --reason
        #[arg(long, visible_alias = "reason", value_name = "TEXT")]
        opinion: Option<String>,
        /// 给付金额（元）：行政给付事项准予时必填，如 1200 或 1200.50
        #[arg(long, value_name = "YUAN", allow_hyphen_values = true)]
        amount: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 办结
    Complete {
        #[arg(value_name = "NO")]
        number: String,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 群众取件
    Pickup {
        #[arg(value_name = "NO")]
        number: String,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 撤回（办结前）
    Withdraw {
        #[arg(value_name = "NO")]
        number: String,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 延期：经镇领导批准，延长办理期限（只能一次，最多 10 个工作日）
    Extend {
        #[arg(value_name = "NO")]
        number: String,
        /// 延长的工作日数（1 到 10）
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        days: Option<String>,
        /// 延期理由（告知申请人）
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 暂停计时：听证、检验、检测、检疫、鉴定、专家评审等所需时间不计入办理期限
    Suspend {
        #[arg(value_name = "NO")]
        number: String,
        /// 需要的程序和理由，如“需组织专家评审”
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// 预计所需的工作日数（可省略）
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        days: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 恢复计时：办结期限按暂停的工作日数顺延
    Resume {
        #[arg(value_name = "NO")]
        number: String,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 核查承诺：告知承诺的核查结果；不实的依法撤销
    Verify {
        #[arg(value_name = "NO")]
        number: String,
        /// true（属实）| false（不实）
        #[arg(long, value_name = "RESULT")]
        result: Option<String>,
        /// 不实时的撤销理由
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 部门受理：登记转报部门受理的日期，办结期限自此起算
    DeptAccept {
        #[arg(value_name = "NO")]
        number: String,
        /// 部门受理日期 YYYY-MM-DD（默认今天）
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
    /// 逾期说明：写明已逾期办件的逾期原因
    Explain {
        #[arg(value_name = "NO")]
        number: String,
        /// 逾期原因
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        #[command(flatten)]
        who: StaffArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// DATE 之后第 N 个工作日（DATE 当天不算）
    Due {
        #[arg(value_name = "DATE")]
        date: String,
        #[arg(value_name = "N", allow_hyphen_values = true)]
        n: String,
        #[arg(long)]
        json: bool,
    },
    /// 导入一年的节假日安排（每行：日期，休或班，名称；须是整年的通知）
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// 替换已经载入的那一年（文件须列出该年全部放假和调休上班日期）
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// 列出在岗工作人员及其角色、证件
    List {
        /// 只列这个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
    /// 导入花名册（.xlsx：工作表 人员，可选 排班、证件）；全部成功或全部不导入
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// 导入到这个乡镇；默认第一个乡镇
        #[arg(long, value_name = "NAME")]
        town: Option<String>,
    },
}

/// A command with its arguments checked and typed.
pub enum Action {
    /// `queue`, `rating`, `followup` (issue 19), read by `front_cli`.
    Front(crate::front_cli::Front),
    Init {
        demo: bool,
        /// Demo requests to generate over the past three years.
        history: Option<usize>,
        today: NaiveDate,
    },
    CatalogImport {
        path: PathBuf,
        town: Option<String>,
    },
    CatalogExport {
        path: PathBuf,
        town: Option<String>,
    },
    CatalogList {
        town: Option<String>,
        search: String,
        json: bool,
        today: NaiveDate,
    },
    StaffList {
        town: Option<String>,
        json: bool,
        today: NaiveDate,
    },
    StaffImport {
        file: PathBuf,
        town: Option<String>,
        today: NaiveDate,
    },
    Authority {
        staff: String,
        item: String,
        action: authority::Action,
        on: NaiveDate,
        json: bool,
    },
    RequestNew {
        input: Box<request::NewRequest>,
        json: bool,
    },
    RequestConsult {
        staff: String,
        item: String,
        name: Option<String>,
        json: bool,
    },
    RequestShow {
        number: String,
        json: bool,
    },
    RequestList {
        town: Option<String>,
        kind: request::ListKind,
        search: Option<String>,
        json: bool,
    },
    RequestStep {
        number: String,
        staff: String,
        step: request::Step,
        /// The step as typed, for `--server`, which sends it for the server to parse again.
        kind: request::StepKind,
        fields: Box<request::StepFields>,
        json: bool,
    },
    CalendarDue {
        start: NaiveDate,
        n: u32,
        json: bool,
    },
    CalendarImport {
        file: PathBuf,
        replace: bool,
    },
    Town {
        town: String,
        superior: Option<String>,
        json: bool,
    },
    Staffing {
        town: Option<String>,
        on: NaiveDate,
        json: bool,
        pdf: Option<PathBuf>,
        xlsx: Option<PathBuf>,
    },
    AuditVerify {
        json: bool,
        expect: Option<bianmin_core::store::audit::Head>,
    },
    StressIntake {
        count: u32,
        staff: String,
        item: String,
        checkpoint_idle_ms: Option<u64>,
    },
    Backup {
        file: PathBuf,
    },
    Restore {
        file: PathBuf,
    },
    MigrateTo {
        url: String,
        json: bool,
    },
    Serve {
        listen: std::net::SocketAddr,
        tls_dir: PathBuf,
    },
    GrantServerRole {
        role: String,
        json: bool,
    },
    RetentionShow {
        json: bool,
    },
    RetentionSet {
        years: Option<u32>,
    },
    RetentionRun {
        dry_run: bool,
        json: bool,
    },
    Demand {
        town: Option<String>,
        on: NaiveDate,
        target_wait_s: f64,
        service_level: f64,
        json: bool,
    },
    Counters {
        arrivals_per_hour: f64,
        handling_min: f64,
        target_wait_s: f64,
        service_level: f64,
        json: bool,
    },
    FormRequest {
        number: String,
        kind: forms::FormKind,
        paper: forms::Paper,
        staff: Option<String>,
        out: PathBuf,
        json: bool,
    },
    FormHandover {
        department: String,
        town: Option<String>,
        on: NaiveDate,
        paper: forms::Paper,
        staff: Option<String>,
        out: PathBuf,
        json: bool,
    },
    FormClosing {
        town: Option<String>,
        on: NaiveDate,
        staff: Option<String>,
        out: PathBuf,
        json: bool,
    },
}

impl Command {
    /// Checks every argument; bad input is refused here, before any database is opened.
    pub fn resolve(self) -> Result<Action, Error> {
        Ok(match self {
            Command::Init { demo, history } => Action::Init {
                demo,
                history: history.map(|n| history_count(&n)).transpose()?,
                today: date::today()?,
            },
            Command::Catalog { command } => match command {
                CatalogCommand::Import { path, town } => Action::CatalogImport {
                    path,
                    town: town_name(town)?,
                },
                CatalogCommand::Export { path, town } => Action::CatalogExport {
                    path,
                    town: town_name(town)?,
                },
                CatalogCommand::List { town, search, json } => {
                    let search = search.unwrap_or_default();
                    text_limit("search", "查找内容", &search, 100)?;
                    Action::CatalogList {
                        town: town_name(town)?,
                        search,
                        json,
                        today: date::today()?,
                    }
                }
            },
            Command::Staff {
                command: StaffCommand::List { town, json },
            } => Action::StaffList {
                town: town_name(town)?,
                json,
                today: date::today()?,
            },
            Command::Staff {
                command: StaffCommand::Import { file, town },
            } => Action::StaffImport {
                file,
                town: town_name(town)?,
                today: date::today()?,
            },
            Command::Authority {
                staff,
                item,
                action,
                on,
                json,
            } => {
                text_limit("staff", "工号", &staff, 32)?;
                text_limit("item", "事项编码", &item, 64)?;
                if staff.trim().is_empty() {
                    return Err(Error::invalid("staff", "工号不能为空"));
                }
                if item.trim().is_empty() {
                    return Err(Error::invalid("item", "事项编码不能为空"));
                }
                Action::Authority {
                    staff,
                    item,
                    action: authority::Action::parse("action", &action)?,
                    on: on_or_today(on)?,
                    json,
                }
            }
            Command::Request { command } => resolve_request(command)?,
            Command::Calendar { command } => match command {
                CalendarCommand::Due { date: d, n, json } => Action::CalendarDue {
                    start: date::parse_date("date", &d)?,
                    n: bianmin_core::calendar::parse_working_days("n", &n)?,
                    json,
                },
                CalendarCommand::Import { file, replace } => {
                    Action::CalendarImport { file, replace }
                }
            },
            Command::Town {
                town,
                superior,
                json,
            } => Action::Town {
                town: town_name(Some(town))?.unwrap_or_default(),
                superior,
                json,
            },
            Command::Staffing {
                town,
                on,
                json,
                pdf,
                xlsx,
            } => Action::Staffing {
                town: town_name(town)?,
                on: on_or_today(on)?,
                json,
                pdf: pdf.map(|p| out_file("pdf", p, "pdf")).transpose()?,
                xlsx: xlsx.map(|p| out_file("xlsx", p, "xlsx")).transpose()?,
            },
            Command::Audit {
                command: AuditCommand::Verify { json, expect },
            } => Action::AuditVerify {
                json,
                expect: expect
                    .map(|e| bianmin_core::store::audit::Head::parse(&e))
                    .transpose()
                    .map_err(|m| Error::invalid("expect", m))?,
            },
            Command::StressIntake {
                count,
                staff,
                item,
                checkpoint_idle_ms,
            } => Action::StressIntake {
                count,
                staff,
                item,
                checkpoint_idle_ms,
            },
            Command::Backup { file } => Action::Backup { file },
            Command::Trust { .. } => {
                return Err(Error::invalid(
                    "server",
                    "trust 用于信任大厅服务器的证书，请同时给出 --server https://地址:端口",
                ))
            }
            Command::GrantServerRole { role, json } => Action::GrantServerRole {
                role: role.trim().to_string(),
                json,
            },
            Command::Serve { listen, tls_dir } => Action::Serve {
                listen: bianmin_server::parse_listen(&listen)?,
                tls_dir: match tls_dir {
                    Some(d) => d,
                    None => bianmin_core::paths::app_data_dir()
                        .map(|d| d.join("server-tls"))
                        .ok_or_else(|| {
                            Error::invalid(
                                "tls_dir",
                                "找不到便民的数据目录，请用 --tls-dir 指定证书目录",
                            )
                        })?,
                },
            },
            Command::Queue { command } => Action::Front(crate::front_cli::queue(command)?),
            Command::Rating { command } => Action::Front(crate::front_cli::rating(command)?),
            Command::Followup { command } => Action::Front(crate::front_cli::followup(command)?),
            Command::Device { command } => Action::Front(crate::front_cli::device(command)?),
            Command::Report {
                town,
                from,
                to,
                figure,
                group,
                json,
                pdf,
                xlsx,
            } => Action::Front(crate::front_cli::report(
                town,
                &from,
                &to,
                figure,
                group,
                json,
                crate::front_cli::ReportFiles { pdf, xlsx },
            )?),
            Command::Retention { command } => match command {
                RetentionCommand::Show { json } => Action::RetentionShow { json },
                RetentionCommand::Set { years, off } => Action::RetentionSet {
                    years: match (years, off) {
                        (_, true) => None,
                        (Some(y), false) => {
                            Some(bianmin_core::retention::parse_years("years", &y)?)
                        }
                        (None, false) => {
                            return Err(Error::invalid(
                                "years",
                                "请写明留存年数（--years N），或用 --off 取消",
                            ))
                        }
                    },
                },
                RetentionCommand::Run { dry_run, json } => Action::RetentionRun { dry_run, json },
            },
            Command::MigrateTo { url, json } => {
                bianmin_core::address::check_server_url(&url)
                    .map_err(|m| Error::invalid("target", m))?;
                Action::MigrateTo {
                    url: url.trim().to_string(),
                    json,
                }
            }
            Command::Restore { file } => Action::Restore { file },
            Command::Counters {
                arrivals_per_hour,
                handling_min,
                town,
                on,
                target_wait_s,
                service_level,
                json,
            } => {
                let target_wait_s = target_wait_s
                    .map(|s| number_of("target_wait_s", "目标等候时间", &s))
                    .transpose()?
                    .unwrap_or(bianmin_core::counters::DEFAULT_TARGET_WAIT_S);
                let service_level = service_level
                    .map(|s| number_of("service_level", "服务水平", &s))
                    .transpose()?
                    .unwrap_or(bianmin_core::counters::DEFAULT_SERVICE_LEVEL);
                match (arrivals_per_hour, handling_min) {
                    (Some(a), Some(h)) => Action::Counters {
                        arrivals_per_hour: number_of("arrivals_per_hour", "每小时到达人数", &a)?,
                        handling_min: number_of("handling_min", "平均办理时长", &h)?,
                        target_wait_s,
                        service_level,
                        json,
                    },
                    (Some(_), None) => {
                        return Err(Error::invalid(
                            "handling_min",
                            "请同时给出 --handling-min（平均办理时长，分钟）",
                        ))
                    }
                    (None, Some(_)) => {
                        return Err(Error::invalid(
                            "arrivals_per_hour",
                            "请同时给出 --arrivals-per-hour（每小时到达人数）",
                        ))
                    }
                    (None, None) if town.is_none() => return Err(Error::invalid(
                        "arrivals_per_hour",
                        "请给出 --arrivals-per-hour 和 --handling-min，或用 --town 按办件记录测算",
                    )),
                    (None, None) => Action::Demand {
                        town: town_name(town)?,
                        on: on_or_today(on)?,
                        target_wait_s,
                        service_level,
                        json,
                    },
                }
            }
            Command::Form {
                number,
                kind,
                department,
                town,
                on,
                paper,
                staff,
                out,
                json,
            } => {
                let target =
                    forms::FormTarget::parse(&kind, number.as_deref(), department.as_deref())?;
                let paper = forms::Paper::parse("paper", &paper)?;
                let out = out_file("out", out, "pdf")?;
                if let Some(s) = &staff {
                    text_limit("staff", "工号", s, 32)?;
                }
                match target {
                    forms::FormTarget::Handover { department } => Action::FormHandover {
                        department,
                        town: town_name(town)?,
                        on: on_or_today(on)?,
                        paper,
                        staff,
                        out,
                        json,
                    },
                    forms::FormTarget::Staffing => {
                        return Err(Error::invalid(
                            "kind",
                            "编制报表请用 bianmin staffing --pdf FILE 打印",
                        ))
                    }
                    forms::FormTarget::Closing => Action::FormClosing {
                        town: town_name(town)?,
                        on: on_or_today(on)?,
                        staff,
                        out,
                        json,
                    },
                    forms::FormTarget::Request { number, kind } => Action::FormRequest {
                        number,
                        kind,
                        paper,
                        staff,
                        out,
                        json,
                    },
                }
            }
        })
    }
}

/// A comma-separated list as typed (ASCII or Chinese commas, 、).
pub(crate) fn list_of(text: Option<String>) -> Option<Vec<String>> {
    text.map(|t| {
        t.split([',', '\u{ff0c}', '、'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

fn resolve_request(command: RequestCommand) -> Result<Action, Error> {
    use request::{Step, StepFields, StepKind};
    // Every step is built by the core's one parser of a step.
    let step = |number: String, who: StaffArg, kind: StepKind, fields: StepFields| {
        Ok::<_, Error>(Action::RequestStep {
            number,
            staff: who.staff,
            step: Step::parse(kind, fields.clone())?,
            kind,
            fields: Box::new(fields),
            json: who.json,
        })
    };
    Ok(match command {
        RequestCommand::New {
            item,
            name,
            id,
            credit_code,
            phone,
            materials,
            remark,
            pledge,
            examine_later,
            agent_name,
            agent_id,
            agent_relation,
            who,
        } => Action::RequestNew {
            input: Box::new(request::NewRequest {
                staff: who.staff,
                item,
                name,
                id,
                credit_code,
                phone,
                materials: list_of(materials),
                remark,
                examine_later,
                pledge: list_of(pledge),
                agent_name,
                agent_id,
                agent_relation,
                idempotency_key: None,
            }),
            json: who.json,
        },
        RequestCommand::Consult { item, name, who } => Action::RequestConsult {
            staff: who.staff,
            item,
            name,
            json: who.json,
        },
        RequestCommand::Show { number, json } => Action::RequestShow { number, json },
        RequestCommand::List {
            town,
            overdue,
            list,
            search,
            json,
        } => {
            let kind = match (overdue, list) {
                (true, _) => request::ListKind::Overdue,
                (false, Some(l)) => request::ListKind::parse("list", &l)?,
                (false, None) => request::ListKind::All,
            };
            if let Some(s) = &search {
                text_limit("search", "查找内容", s, 100)?;
            }
            Action::RequestList {
                town: town_name(town)?,
                kind,
                search,
                json,
            }
        }
        RequestCommand::Accept {
            number,
            materials,
            who,
        } => step(
            number,
            who,
            StepKind::Accept,
            StepFields {
                materials: list_of(materials),
                ..StepFields::default()
            },
        )?,
        RequestCommand::Refuse {
            number,
            reason,
            who,
        } => step(
            number,
            who,
            StepKind::Refuse,
            StepFields {
                reason: Some(reason),
                ..StepFields::default()
            },
        )?,
        RequestCommand::Forward {
            number,
            department,
            due,
            reason,
            who,
        } => step(
            number,
            who,
            StepKind::Forward,
            StepFields {
                department,
                due,
                reason,
                ..StepFields::default()
            },
        )?,
        RequestCommand::Result {
            number,
            result,
            who,
        } => step(
            number,
            who,
            StepKind::Result,
            StepFields {
                result: Some(result),
                ..StepFields::default()
            },
        )?,
        RequestCommand::Decide {
            number,
            result,
            opinion,
            amount,
            who,
        } => step(
            number,
            who,
            StepKind::Decide,
            StepFields {
                result: Some(result),
                opinion,
                amount,
                ..StepFields::default()
            },
        )?,
        RequestCommand::Complete { number, who } => {
            step(number, who, StepKind::Complete, StepFields::default())?
        }
        RequestCommand::Pickup { number, who } => {
            step(number, who, StepKind::Pickup, StepFields::default())?
        }
        RequestCommand::Withdraw { number, who } => {
            step(number, who, StepKind::Withdraw, StepFields::default())?
        }
        RequestCommand::Extend {
            number,
            days,
            reason,
            who,
        } => step(
            number,
            who,
            StepKind::Extend,
            StepFields {
                days,
                reason,
                ..StepFields::default()
            },
        )?,
        RequestCommand::Suspend {
            number,
            reason,
            days,
            who,
        } => step(
            number,
            who,
            StepKind::Suspend,
            StepFields {
                days,
                reason,
                ..StepFields::default()
            },
        )?,
        RequestCommand::Verify {
            number,
            result,
            reason,
            who,
        } => step(
            number,
            who,
            StepKind::Verify,
            StepFields {
                result,
                reason,
                ..StepFields::default()
            },
        )?,
        RequestCommand::DeptAccept { number, on, who } => step(
            number,
            who,
            StepKind::DeptAccept,
            StepFields {
                on,
                ..StepFields::default()
            },
        )?,
        RequestCommand::Resume { number, who } => {
            step(number, who, StepKind::Resume, StepFields::default())?
        }
        RequestCommand::Explain {
            number,
            reason,
            who,
        } => step(
            number,
            who,
            StepKind::Explain,
            StepFields {
                reason,
                ..StepFields::default()
            },
        )?,
    })
}

fn town_name(town: Option<String>) -> Result<Option<String>, Error> {
    match town {
        Some(t) if t.trim().is_empty() => Err(Error::invalid("town", "乡镇名称不能为空")),
        Some(t) => {
            text_limit("town", "乡镇名称", &t, 100)?;
            Ok(Some(t))
        }
        None => Ok(None),
    }
}

fn text_limit(field: &'static str, label: &str, text: &str, max: usize) -> Result<(), Error> {
    let n = text.chars().count();
    if n > max {
        return Err(Error::invalid(
            field,
            format!("{label}过长：{n} 个字符，最多 {max} 个"),
        ));
    }
    Ok(())
}

fn on_or_today(on: Option<String>) -> Result<NaiveDate, Error> {
    match on {
        Some(text) => date::parse_date("on", &text),
        None => date::today(),
    }
}

/// The command-line name of a field key from the core.
pub fn flag_name(field: &str) -> String {
    match field {
        "server_role" => "角色名 ROLE".to_string(),
        "fingerprint" => "证书指纹 FINGERPRINT".to_string(),
        "server_user" => "环境变量 BIANMIN_USER".to_string(),
        date::TODAY_VAR | date::NOW_VAR | bianmin_core::paths::DB_VAR => {
            format!("环境变量 {field}")
        }
        "path" => "PATH".to_string(),
        "number" => "办件编号 NO".to_string(),
        "state" => "办件状态".to_string(),
        "today" => "今天的日期".to_string(),
        "date" => "DATE".to_string(),
        "n" => "N".to_string(),
        "file" => "FILE".to_string(),
        "target" => "目标数据库地址 URL".to_string(),
        "query" => "--search".to_string(),
        "followup" => "回访编号 ID".to_string(),
        _ => format!("--{}", field.replace('_', "-")),
    }
}

/// A decimal number as typed; the core checks its range.
/// The most demo requests `init --demo --history` generates at once.
const HISTORY_MAX: usize = 1_000_000;

/// `--history N`: a whole number from 0 (none) to [`HISTORY_MAX`].
fn history_count(text: &str) -> Result<usize, Error> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (0..=HISTORY_MAX).contains(n))
        .ok_or_else(|| {
            Error::invalid(
                "history",
                format!(
                    "演示办件数“{}”无效：应为 0 到 {HISTORY_MAX} 之间的整数",
                    text.trim()
                ),
            )
        })
}

fn number_of(field: &'static str, label: &str, text: &str) -> Result<f64, Error> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| Error::invalid(field, format!("{label}“{}”不是数字", text.trim())))
}

/// An output file: ends in `.ext` and its folder exists.
pub(crate) fn out_file(field: &'static str, path: PathBuf, ext: &str) -> Result<PathBuf, Error> {
    let ext_ok = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext));
    if !ext_ok {
        return Err(Error::invalid(
            field,
            format!("输出文件“{}”应以 .{ext} 结尾", path.display()),
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(Error::invalid(
                field,
                format!("文件夹“{}”不存在", dir.display()),
            ));
        }
    }
    if path.is_dir() {
        return Err(Error::invalid(
            field,
            format!("“{}”是文件夹，不是文件", path.display()),
        ));
    }
    Ok(path)
}

/// Prints clap's own refusal with a Chinese lead and the contract's exit status.
pub fn report_clap_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("bianmin：命令行参数有误，请查看 bianmin --help。");
            let _ = e.print();
            ExitCode::from(2)
        }
    }
}
