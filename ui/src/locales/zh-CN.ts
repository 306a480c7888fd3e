// Every piece of text the clerk sees lives here. Keys are grouped by screen;
// vue-i18n message syntax applies ({name} is a placeholder).
const zhCN = {
  app: {
    title: '便民',
    header: '便民 · 乡镇便民服务中心',
    menuLabel: '功能菜单',
    menu: {
      staffing: '人员编制',
    },
  },
  staffing: {
    title: '人员编制',
    town: '乡镇',
    townPlaceholder: '请选择乡镇',
    date: '统计日期',
    datePlaceholder: '今天',
    reportDate: '统计日期：{date}',
    noTowns: '还没有录入乡镇',
    noData: '暂无数据',
    loadFailed: '未能取得编制数据，请稍后重试',
    tableLabel: '{town}人员编制情况',
    headline: {
      quota: '编制',
      on_roll: '实有（在编）',
      on_duty: '在岗',
      vacancies: '空编',
    },
    columns: {
      name: '单位',
      managed_by: '管理方式',
      quota: '编制数',
      on_roll: '在编',
      seconded_in: '借调入',
      seconded_out: '借调出',
      on_leave: '长期请假',
      on_duty: '在岗',
      vacancies: '空编',
      hall_staff: '窗口人员',
      field_staff: '可用于外勤',
      enforcement: '执法力量',
    },
    total: '合计',
    overQuota: '超编 {n}',
    enforcementOk: '正常',
    enforcementShort: '不足两人',
  },
  errors: {
    unexpected: '操作没有完成，请稍后重试；如果仍然不行，请联系系统管理员。',
  },
}

export type MessageSchema = typeof zhCN

export default zhCN
