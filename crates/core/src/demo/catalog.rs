//! The demo catalogue: 47 items a township hall in Guizhou meets, across the four modes, with
//! their materials, and three entrustment letters (one valid, one ending within 30 days of the
//! day the demo is loaded, one expired).
//!
//! Legal bases name the law or regulation and article that set each item up; time limits and
//! materials are typical of published 实施清单, simplified.

use chrono::{Days, NaiveDate};

use crate::catalog::{
    initials, Item, Letter, Listing, Material, MaterialForm, Mode, Office, TimeLimit,
};

use MaterialForm::{Both, Copy, Original};
use Mode::{CityOnly, Delegated, Entrusted, Forward};

type M = (&'static str, MaterialForm, u16, bool);

const ID_CARD: M = ("居民身份证", Both, 1, true);
const HUKOU: M = ("户口簿", Both, 1, true);
const PHOTO: M = ("近期一寸免冠彩色照片", Original, 2, true);
const BANK: M = ("本人社会保障卡或银行账户", Copy, 1, true);
const INCOME: M = ("家庭收入及财产状况说明", Original, 1, true);
const PROXY: M = ("代办人身份证及委托书", Both, 1, false);

struct Spec {
    code: &'static str,
    name: &'static str,
    item_type: &'static str,
    department: &'static str,
    basis: &'static str,
    statutory: Option<u16>,
    promised: Option<u16>,
    fee: &'static str,
    post: &'static str,
    mode: Mode,
    materials: &'static [M],
}

const TOWN: &str = "镇人民政府";
const FREE: &str = "不收费";

#[rustfmt::skip]
const ITEMS: &[Spec] = &[
    // 下放: taken in and decided here.
    Spec { code: "MZ-001", name: "临时救助", item_type: "行政给付", department: TOWN, basis: "《社会救助暂行办法》第四十八条", statutory: Some(10), promised: Some(5), fee: FREE, post: "民政窗口", mode: Delegated,
        materials: &[("临时救助申请书", Original, 1, true), ID_CARD, HUKOU, INCOME, ("医疗费用票据或受灾、事故证明", Copy, 1, false), PROXY] },
    Spec { code: "MZ-002", name: "最低生活保障审核确认", item_type: "行政给付", department: TOWN, basis: "《社会救助暂行办法》第十一条", statutory: Some(30), promised: Some(20), fee: FREE, post: "民政窗口", mode: Delegated,
        materials: &[("最低生活保障申请书", Original, 1, true), ID_CARD, HUKOU, INCOME, ("家庭经济状况核对授权书", Original, 1, true), BANK] },
    Spec { code: "MZ-003", name: "特困人员救助供养审核确认", item_type: "行政给付", department: TOWN, basis: "《社会救助暂行办法》第十五条", statutory: Some(30), promised: Some(20), fee: FREE, post: "民政窗口", mode: Delegated,
        materials: &[("特困人员救助供养申请书", Original, 1, true), ID_CARD, HUKOU, INCOME, ("残疾人证或劳动能力评估材料", Copy, 1, false)] },
    Spec { code: "MZ-004", name: "高龄津贴申领", item_type: "行政给付", department: TOWN, basis: "《贵州省老年人权益保障条例》第二十六条", statutory: Some(20), promised: Some(10), fee: FREE, post: "民政窗口", mode: Delegated,
        materials: &[("高龄津贴申请表", Original, 1, true), ID_CARD, HUKOU, BANK] },
    Spec { code: "MZ-005", name: "老年人优待证办理", item_type: "公共服务", department: TOWN, basis: "《中华人民共和国老年人权益保障法》第五十七条", statutory: None, promised: None, fee: FREE, post: "民政窗口", mode: Delegated,
        materials: &[ID_CARD, PHOTO] },
    Spec { code: "MZ-006", name: "困难残疾人生活补贴和重度残疾人护理补贴申请", item_type: "行政给付", department: TOWN, basis: "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）", statutory: Some(20), promised: Some(15), fee: FREE, post: "民政窗口", mode: Delegated,
        materials: &[("残疾人两项补贴申请审批表", Original, 1, true), ID_CARD, ("中华人民共和国残疾人证", Both, 1, true), HUKOU, BANK] },
    Spec { code: "MZ-007", name: "惠民殡葬补助申领", item_type: "行政给付", department: TOWN, basis: "《殡葬管理条例》第五条", statutory: Some(20), promised: Some(10), fee: FREE, post: "民政窗口", mode: Delegated,
        materials: &[("惠民殡葬补助申请表", Original, 1, true), ("死亡医学证明或火化证明", Copy, 1, true), ("逝者居民身份证", Copy, 1, true), ("经办人居民身份证", Both, 1, true), BANK] },
    Spec { code: "WJ-001", name: "生育登记", item_type: "公共服务", department: TOWN, basis: "《贵州省人口与计划生育条例》第十八条", statutory: None, promised: None, fee: FREE, post: "社会事务窗口", mode: Delegated,
        materials: &[("夫妻双方居民身份证", Both, 1, true), ("结婚证", Both, 1, false)] },
    Spec { code: "WJ-002", name: "农村部分计划生育家庭奖励扶助资格确认", item_type: "行政确认", department: TOWN, basis: "《中华人民共和国人口与计划生育法》第二十七条", statutory: Some(30), promised: Some(20), fee: FREE, post: "社会事务窗口", mode: Delegated,
        materials: &[("奖励扶助对象申报表", Original, 1, true), ID_CARD, HUKOU, ("独生子女父母光荣证或子女死亡证明", Copy, 1, true)] },
    Spec { code: "ZR-001", name: "农村村民宅基地审批", item_type: "行政许可", department: TOWN, basis: "《中华人民共和国土地管理法》第六十二条", statutory: Some(20), promised: Some(15), fee: FREE, post: "村镇建设窗口", mode: Delegated,
        materials: &[("农村宅基地和建房（规划许可）申请表", Original, 1, true), ID_CARD, HUKOU, ("村民小组会议讨论通过的意见", Original, 1, true), ("宅基地使用承诺书", Original, 1, true), ("房屋设计图或通用图", Copy, 1, false)] },
    Spec { code: "NY-001", name: "耕地地力保护补贴申报", item_type: "行政给付", department: TOWN, basis: "《财政部 农业部关于全面推开农业“三项补贴”改革工作的通知》（财农〔2016〕26号）", statutory: Some(20), promised: Some(15), fee: FREE, post: "农业林业窗口", mode: Delegated,
        materials: &[("耕地地力保护补贴申报表", Original, 1, true), ID_CARD, ("农村土地承包经营权证", Copy, 1, true), BANK] },
    Spec { code: "TY-001", name: "退役军人优待证申领", item_type: "公共服务", department: TOWN, basis: "《中华人民共和国退役军人保障法》第六十二条", statutory: Some(20), promised: Some(10), fee: FREE, post: "社会事务窗口", mode: Delegated,
        materials: &[ID_CARD, ("退役证件", Both, 1, true), PHOTO] },
    Spec { code: "RS-001", name: "就业失业登记", item_type: "公共服务", department: TOWN, basis: "《就业服务与就业管理规定》第六十二条", statutory: None, promised: None, fee: FREE, post: "社保医保窗口", mode: Delegated,
        materials: &[ID_CARD, ("劳动合同或解除劳动关系证明", Copy, 1, false)] },
    Spec { code: "SF-001", name: "人民调解申请", item_type: "公共服务", department: TOWN, basis: "《中华人民共和国人民调解法》第十七条", statutory: Some(30), promised: Some(15), fee: FREE, post: "综合窗口", mode: Delegated,
        materials: &[("人民调解申请书", Original, 1, true), ID_CARD, ("纠纷相关证据材料", Copy, 1, false)] },
    // 委托: decided here while a letter covers the item.
    Spec { code: "ZR-101", name: "乡村建设规划许可证核发", item_type: "行政许可", department: "市自然资源局", basis: "《中华人民共和国城乡规划法》第四十一条", statutory: Some(20), promised: Some(15), fee: FREE, post: "村镇建设窗口", mode: Entrusted,
        materials: &[("乡村建设规划许可申请表", Original, 1, true), ID_CARD, ("宅基地批准文件或土地权属证明", Copy, 1, true), ("建设工程设计方案", Original, 2, true)] },
    Spec { code: "ZR-102", name: "对违法占用土地的行政检查", item_type: "行政检查", department: "市自然资源局", basis: "《中华人民共和国土地管理法》第六十七条", statutory: Some(30), promised: Some(15), fee: FREE, post: "村镇建设窗口", mode: Entrusted,
        materials: &[("举报或巡查记录", Original, 1, true), ("现场照片", Original, 1, false)] },
    Spec { code: "LY-101", name: "林木采伐许可证核发", item_type: "行政许可", department: "市林业局", basis: "《中华人民共和国森林法》第五十六条", statutory: Some(20), promised: Some(10), fee: FREE, post: "农业林业窗口", mode: Entrusted,
        materials: &[("林木采伐申请书", Original, 1, true), ID_CARD, ("林权证或林地承包合同", Copy, 1, true), ("伐区调查设计或采伐作业说明", Original, 1, true)] },
    Spec { code: "LY-102", name: "对滥伐林木的行政处罚", item_type: "行政处罚", department: "市林业局", basis: "《中华人民共和国森林法》第七十六条", statutory: Some(90), promised: Some(60), fee: FREE, post: "农业林业窗口", mode: Entrusted,
        materials: &[("立案审批表", Original, 1, true), ("现场勘验笔录", Original, 1, true)] },
    Spec { code: "LY-103", name: "对毁坏林木的行政处罚", item_type: "行政处罚", department: "市林业局", basis: "《中华人民共和国森林法》第七十四条", statutory: Some(90), promised: Some(60), fee: FREE, post: "农业林业窗口", mode: Entrusted,
        materials: &[("立案审批表", Original, 1, true), ("现场勘验笔录", Original, 1, true)] },
    Spec { code: "NY-101", name: "对农村村民非法占用土地建住宅的行政处罚", item_type: "行政处罚", department: "市农业农村局", basis: "《中华人民共和国土地管理法》第七十八条", statutory: Some(90), promised: Some(60), fee: FREE, post: "农业林业窗口", mode: Entrusted,
        materials: &[("立案审批表", Original, 1, true), ("现场检查笔录", Original, 1, true)] },
    Spec { code: "NY-102", name: "对农村宅基地使用情况的行政检查", item_type: "行政检查", department: "市农业农村局", basis: "《中华人民共和国土地管理法》第六十七条", statutory: Some(30), promised: Some(15), fee: FREE, post: "农业林业窗口", mode: Entrusted,
        materials: &[("检查记录", Original, 1, true)] },
    // 收件转报: taken in here, decided by the city.
    Spec { code: "RS-101", name: "城乡居民基本养老保险参保登记", item_type: "公共服务", department: "市人力资源和社会保障局", basis: "《中华人民共和国社会保险法》第二十条", statutory: Some(15), promised: Some(10), fee: FREE, post: "社保医保窗口", mode: Forward,
        materials: &[("城乡居民基本养老保险参保登记表", Original, 1, true), ID_CARD, HUKOU] },
    Spec { code: "RS-102", name: "城乡居民基本养老保险待遇申领", item_type: "行政给付", department: "市人力资源和社会保障局", basis: "《中华人民共和国社会保险法》第二十一条", statutory: Some(20), promised: Some(15), fee: FREE, post: "社保医保窗口", mode: Forward,
        materials: &[("城乡居民基本养老保险待遇申领表", Original, 1, true), ID_CARD, HUKOU, BANK] },
    Spec { code: "YB-101", name: "城乡居民基本医疗保险参保登记", item_type: "公共服务", department: "市医疗保障局", basis: "《中华人民共和国社会保险法》第二十五条", statutory: Some(10), promised: Some(5), fee: FREE, post: "社保医保窗口", mode: Forward,
        materials: &[("城乡居民医疗保险参保登记表", Original, 1, true), ID_CARD, HUKOU] },
    Spec { code: "YB-102", name: "医疗救助申请", item_type: "行政给付", department: "市医疗保障局", basis: "《社会救助暂行办法》第二十八条", statutory: Some(20), promised: Some(15), fee: FREE, post: "社保医保窗口", mode: Forward,
        materials: &[("医疗救助申请表", Original, 1, true), ID_CARD, ("住院费用清单及发票", Copy, 1, true), ("出院小结", Copy, 1, true), BANK] },
    Spec { code: "CL-101", name: "残疾人证申领", item_type: "行政确认", department: "市残疾人联合会", basis: "《中华人民共和国残疾人保障法》第二条", statutory: Some(20), promised: Some(15), fee: FREE, post: "民政窗口", mode: Forward,
        materials: &[("残疾人证申请表", Original, 1, true), ID_CARD, HUKOU, PHOTO] },
    Spec { code: "ZR-103", name: "农村宅基地使用权及房屋所有权首次登记", item_type: "行政确认", department: "市自然资源局", basis: "《不动产登记暂行条例》第二十条", statutory: Some(30), promised: Some(15), fee: "按规定收取登记费", post: "村镇建设窗口", mode: Forward,
        materials: &[("不动产登记申请书", Original, 1, true), ID_CARD, ("宅基地批准文件", Copy, 1, true), ("房屋竣工材料", Copy, 1, true), ("不动产权籍调查表、宗地图", Original, 1, true)] },
    Spec { code: "NY-103", name: "农机购置补贴申请", item_type: "行政给付", department: "市农业农村局", basis: "《中华人民共和国农业机械化促进法》第二十七条", statutory: Some(30), promised: Some(20), fee: FREE, post: "农业林业窗口", mode: Forward,
        materials: &[("农机购置补贴申请表", Original, 1, true), ID_CARD, ("购机发票", Copy, 1, true), ("机具铭牌照片", Original, 1, true), BANK] },
    Spec { code: "SF-101", name: "法律援助申请", item_type: "公共服务", department: "市司法局", basis: "《中华人民共和国法律援助法》第四十三条", statutory: Some(7), promised: Some(5), fee: FREE, post: "综合窗口", mode: Forward,
        materials: &[("法律援助申请表", Original, 1, true), ID_CARD, ("经济困难状况说明表", Original, 1, true), ("与所申请事项相关的案件材料", Copy, 1, true)] },
    Spec { code: "SC-101", name: "个体工商户设立登记", item_type: "行政许可", department: "市市场监督管理局", basis: "《促进个体工商户发展条例》第十条", statutory: Some(15), promised: Some(3), fee: FREE, post: "综合窗口", mode: Forward,
        materials: &[("个体工商户登记（备案）申请书", Original, 1, true), ID_CARD, ("经营场所使用证明", Copy, 1, true)] },
    Spec { code: "ZJ-101", name: "农村危房改造补助申请", item_type: "行政给付", department: "市住房和城乡建设局", basis: "《国务院办公厅关于农村危房改造的指导意见》", statutory: Some(30), promised: Some(20), fee: FREE, post: "村镇建设窗口", mode: Forward,
        materials: &[("农村危房改造申请表", Original, 1, true), ID_CARD, HUKOU, ("房屋危险性鉴定材料", Copy, 1, true)] },
    Spec { code: "MZ-101", name: "孤儿基本生活费申领", item_type: "行政给付", department: "市民政局", basis: "《国务院办公厅关于加强孤儿保障工作的意见》（国办发〔2010〕54号）", statutory: Some(30), promised: Some(20), fee: FREE, post: "民政窗口", mode: Forward,
        materials: &[("孤儿基本生活费申请表", Original, 1, true), ("儿童户口簿", Both, 1, true), ("父母死亡或宣告失踪证明", Copy, 1, true), ("监护人居民身份证", Both, 1, true)] },
    // 不予下放: directions only.
    Spec { code: "GA-201", name: "居民身份证申领", item_type: "行政确认", department: "市公安局（户籍所在地派出所）", basis: "《中华人民共和国居民身份证法》第八条", statutory: Some(60), promised: Some(20), fee: "20元（工本费）", post: "综合窗口", mode: CityOnly,
        materials: &[HUKOU] },
    Spec { code: "GA-202", name: "户口迁移", item_type: "行政确认", department: "市公安局（户籍所在地派出所）", basis: "《中华人民共和国户口登记条例》第十条", statutory: Some(20), promised: Some(10), fee: FREE, post: "综合窗口", mode: CityOnly,
        materials: &[HUKOU, ID_CARD] },
    Spec { code: "GA-203", name: "居住证申领", item_type: "行政确认", department: "市公安局（居住地派出所）", basis: "《居住证暂行条例》第九条", statutory: Some(15), promised: Some(15), fee: FREE, post: "综合窗口", mode: CityOnly,
        materials: &[ID_CARD, PHOTO, ("居住证明", Copy, 1, true)] },
    Spec { code: "GA-204", name: "机动车驾驶证申领", item_type: "行政许可", department: "市公安局交通管理支队", basis: "《中华人民共和国道路交通安全法》第十九条", statutory: Some(20), promised: Some(5), fee: "按规定收费", post: "综合窗口", mode: CityOnly,
        materials: &[ID_CARD, ("身体条件证明", Original, 1, true)] },
    Spec { code: "GA-205", name: "普通护照签发", item_type: "行政许可", department: "市公安局出入境管理支队", basis: "《中华人民共和国护照法》第五条", statutory: Some(15), promised: Some(7), fee: "120元", post: "综合窗口", mode: CityOnly,
        materials: &[ID_CARD] },
    Spec { code: "ZR-201", name: "采矿许可证核发", item_type: "行政许可", department: "市自然资源局", basis: "《中华人民共和国矿产资源法》第三条", statutory: Some(40), promised: Some(20), fee: FREE, post: "村镇建设窗口", mode: CityOnly,
        materials: &[("采矿权申请登记书", Original, 1, true), ("矿产资源开发利用方案", Original, 1, true)] },
    Spec { code: "ZR-202", name: "建设项目用地预审与选址意见书核发", item_type: "行政许可", department: "市自然资源局", basis: "《中华人民共和国土地管理法》第五十二条", statutory: Some(20), promised: Some(15), fee: FREE, post: "村镇建设窗口", mode: CityOnly,
        materials: &[("建设项目用地预审与选址申请表", Original, 1, true)] },
    Spec { code: "ZR-203", name: "国有建设用地使用权出让", item_type: "其他", department: "市自然资源局", basis: "《中华人民共和国城市房地产管理法》第十三条", statutory: Some(60), promised: Some(30), fee: "按出让合同", post: "村镇建设窗口", mode: CityOnly,
        materials: &[("竞买申请书", Original, 1, true)] },
    Spec { code: "LY-201", name: "使用林地审核", item_type: "行政许可", department: "市林业局", basis: "《中华人民共和国森林法》第三十七条", statutory: Some(20), promised: Some(15), fee: "按规定缴纳森林植被恢复费", post: "农业林业窗口", mode: CityOnly,
        materials: &[("使用林地申请表", Original, 1, true), ("使用林地可行性报告", Original, 1, true)] },
    Spec { code: "LY-202", name: "野生动物人工繁育许可证核发", item_type: "行政许可", department: "市林业局", basis: "《中华人民共和国野生动物保护法》第二十五条", statutory: Some(20), promised: Some(15), fee: FREE, post: "农业林业窗口", mode: CityOnly,
        materials: &[("人工繁育许可申请表", Original, 1, true), ("繁育场所及设施说明", Original, 1, true)] },
    Spec { code: "NY-201", name: "农药经营许可证核发", item_type: "行政许可", department: "市农业农村局", basis: "《农药管理条例》第二十四条", statutory: Some(20), promised: Some(15), fee: FREE, post: "农业林业窗口", mode: CityOnly,
        materials: &[("农药经营许可证申请表", Original, 1, true), ("营业执照", Copy, 1, true)] },
    Spec { code: "NY-202", name: "农作物种子生产经营许可证核发", item_type: "行政许可", department: "市农业农村局", basis: "《中华人民共和国种子法》第三十一条", statutory: Some(20), promised: Some(15), fee: FREE, post: "农业林业窗口", mode: CityOnly,
        materials: &[("种子生产经营许可证申请表", Original, 1, true), ("营业执照", Copy, 1, true)] },
    Spec { code: "NY-203", name: "兽药经营许可证核发", item_type: "行政许可", department: "市农业农村局", basis: "《兽药管理条例》第二十二条", statutory: Some(30), promised: Some(20), fee: FREE, post: "农业林业窗口", mode: CityOnly,
        materials: &[("兽药经营许可证申请表", Original, 1, true), ("营业执照", Copy, 1, true)] },
    Spec { code: "NY-204", name: "动物防疫条件合格证核发", item_type: "行政许可", department: "市农业农村局", basis: "《中华人民共和国动物防疫法》第二十五条", statutory: Some(20), promised: Some(15), fee: FREE, post: "农业林业窗口", mode: CityOnly,
        materials: &[("动物防疫条件审查申请表", Original, 1, true), ("场所平面图", Original, 1, true)] },
    Spec { code: "MZ-201", name: "结婚登记", item_type: "行政确认", department: "市民政局（婚姻登记处）", basis: "《中华人民共和国民法典》第一千零四十九条", statutory: None, promised: None, fee: FREE, post: "民政窗口", mode: CityOnly,
        materials: &[("双方居民身份证", Original, 1, true), ("双方户口簿", Original, 1, true), PHOTO] },
];

/// The hall's opening hours, as a 实施清单 writes 办理时间.
const HALL_HOURS: &str = "工作日上午9:00—12:00，下午14:00—17:30（法定节假日除外）";
/// The national 12345 government service hotline, which puts a caller through to the department.
const HOTLINE: &str = "12345（政务服务便民热线）";

/// Where a demo item is handled: the township's own at the hall's post, a city department's
/// at the city's 政务服务中心 (the police's own offices at the 派出所), with the hotline.
fn office(s: &Spec) -> Office {
    let (place, hours) = match s.department {
        TOWN => (format!("镇便民服务中心{}", s.post), HALL_HOURS.to_string()),
        d if d.contains("派出所") => (
            format!(
                "{}户籍窗口",
                d.split_once('（')
                    .map_or(d, |(_, p)| p.trim_end_matches('）'))
            ),
            "工作日上午8:30—12:00，下午14:30—17:30".to_string(),
        ),
        d if d.contains("婚姻登记处") => (
            "市民政局婚姻登记处（市政务服务中心一楼）".to_string(),
            "工作日上午9:00—12:00，下午13:30—17:00".to_string(),
        ),
        d => (
            format!("市政务服务中心{}窗口", d.trim_start_matches('市')),
            "工作日上午9:00—12:00，下午13:30—17:00".to_string(),
        ),
    };
    Office {
        place,
        hours,
        phone: HOTLINE.to_string(),
    }
}

/// The demo's 告知承诺 (国办发〔2020〕42号): the item, and the material a signed pledge may
/// stand for.
const PLEDGES: &[(&str, &str)] = &[("MZ-001", "家庭收入及财产状况说明")];

/// The demo items.
pub fn items() -> Vec<Item> {
    ITEMS
        .iter()
        .map(|s| Item {
            code: s.code.into(),
            name: s.name.into(),
            initials: initials(s.name),
            item_type: s.item_type.into(),
            department: s.department.into(),
            legal_basis: s.basis.into(),
            statutory: TimeLimit::from_days(s.statutory),
            promised: TimeLimit::from_days(s.promised),
            fee: s.fee.into(),
            post: s.post.into(),
            mode: s.mode,
            grant: None,
            office: office(s),
            listing: Listing {
                pledge: PLEDGES.iter().any(|(code, _)| *code == s.code),
                ..Listing::default()
            },
            materials: s
                .materials
                .iter()
                .enumerate()
                .map(|(i, &(name, form, copies, mandatory))| Material {
                    seq: i as u16 + 1,
                    name: name.into(),
                    form,
                    copies,
                    mandatory,
                    pledgeable: PLEDGES.contains(&(s.code, name)),
                })
                .collect(),
        })
        .collect()
}

/// The demo letters, dated around `today` (the day the demo is loaded): one valid for over a
/// year, one ending in 20 days, one that ended 45 days ago.
pub fn letters(today: NaiveDate) -> Vec<Letter> {
    let plus = |d: u64| today.checked_add_days(Days::new(d)).expect("a date ahead");
    let minus = |d: u64| today.checked_sub_days(Days::new(d)).expect("a date behind");
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a real date");
    vec![
        Letter {
            number: "市自然资源局委〔2025〕3号".into(),
            issuer: "市自然资源局".into(),
            items: vec!["ZR-101".into(), "ZR-102".into()],
            valid_from: ymd(2025, 1, 1).min(today),
            valid_to: plus(400),
        },
        Letter {
            number: "市林业局委〔2024〕12号".into(),
            issuer: "市林业局".into(),
            items: vec!["LY-101".into(), "LY-102".into(), "LY-103".into()],
            valid_from: ymd(2024, 12, 1).min(minus(60)),
            valid_to: plus(20),
        },
        Letter {
            number: "市农业农村局委〔2023〕7号".into(),
            issuer: "市农业农村局".into(),
            items: vec!["NY-101".into(), "NY-102".into()],
            valid_from: ymd(2023, 6, 1).min(minus(400)),
            valid_to: minus(45),
        },
    ]
}
