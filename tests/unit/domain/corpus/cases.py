"""The labelled corpus: one-mistake forms and sound forms that only look suspicious.

Each case is a clean base (bases.py) plus a small mutation (mutations.py). A mistake declares
the finding it must produce as (rule, indicator or None, field, severity); a sound case must
produce no error, and all sound cases together at most two warnings (test_corpus.py).
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Case:
    name: str
    base: str
    edits: tuple
    expect: tuple[str, str | None, str | None, str] | None = None  # None: a sound form


def mistake(name, base, edits, rule, indicator, field, severity) -> Case:
    return Case(name, base, tuple(edits), (rule, indicator, field, severity))


def sound(name, base, edits) -> Case:
    return Case(name, base, tuple(edits))


MISTAKES: tuple[Case, ...] = (
    # 预算执行
    mistake("其他资金执行数为负", "宣传费", [("cell", "other.spent", "-0.50"), ("cell", "total.spent", "4.20"),
                                            ("cell", "total.rate", "61.76")],
            "budget.negative_amount", None, "budget.other.spent", ERROR),
    mistake("年初预算数为负", "鉴定费", [("budget", "initial", "-40.05")],
            "budget.negative_amount", None, "budget.total.initial", ERROR),
    mistake("跟踪期预算超年初预算且未说明调整", "邮寄费", [("budget", "period_budget", "14.00")],
            "budget.period_over_annual", None, "budget.total.period_budget", ERROR),
    mistake("执行率算错", "工伤系统", [("budget", "rate", "79.67")],
            "budget.rate_mismatch", None, "budget.total.rate", ERROR),
    mistake("总额不等于分项之和", "购买服务", [("cell", "appropriation.spent", "110.00"),
                                              ("cell", "appropriation.rate", "62.52")],
            "budget.total_mismatch", None, "budget.total.spent", ERROR),
    mistake("执行数超预算", "征地养老", [("budget", "spent", "110000.00")],
            "budget.spent_over_budget", None, "budget.total.spent", ERROR),
    mistake("结转资金行空白", "宣传费", [("cell", "carryover.initial", None)],
            "budget.blank_amount", None, "budget.carryover.initial", WARNING),
    # 定性指标：否定、期限
    mistake("及时性写不及时却称无偏差", "宣传费", [("indicator", "宣传品制作及时性", "actual", "不及时")],
            "indicator.deviation_unexplained", "宣传品制作及时性", "deviation_reason", ERROR),
    mistake("准确性写不准确", "邮寄费", [("indicator", "邮寄送达准确性", "actual", "不准确")],
            "indicator.deviation_unexplained", "邮寄送达准确性", "deviation_reason", ERROR),
    mistake("机制未建立", "鉴定费", [("indicator", "动态管理机制建立情况", "actual", "未建立")],
            "indicator.deviation_unexplained", "动态管理机制建立情况", "deviation_reason", ERROR),
    mistake("成本控制无效", "宣传费", [("indicator", "成本控制有效性", "actual", "无效")],
            "indicator.deviation_unexplained", "成本控制有效性", "deviation_reason", ERROR),
    mistake("运维及时性未达到", "养老系统", [("indicator", "运维工作及时性", "actual", "未达到")],
            "indicator.deviation_unexplained", "运维工作及时性", "deviation_reason", ERROR),
    mistake("资质不相符", "购买服务", [("indicator", "人员资质相符性", "actual", "不相符")],
            "indicator.deviation_unexplained", "人员资质相符性", "deviation_reason", ERROR),
    mistake("契合度写不契合", "宣传费", [("indicator", "宣传主题契合度", "actual", "不契合")],
            "indicator.deviation_unexplained", "宣传主题契合度", "deviation_reason", ERROR),
    mistake("期限已过仍称无偏差", "宣传费", [("indicator", "宣传品制作及时性", "target", "2024年6月底前"),
                                              ("indicator", "宣传品制作及时性", "planned", "2024年6月底前"),
                                              ("indicator", "宣传品制作及时性", "actual", "2024年7月完成")],
            "indicator.deviation_unexplained", "宣传品制作及时性", "deviation_reason", ERROR),
    mistake("按日期限逾期", "邮寄费", [("indicator", "文书送达及时性", "target", "2024年3月31日前"),
                                        ("indicator", "文书送达及时性", "planned", "2024年3月31日前"),
                                        ("indicator", "文书送达及时性", "actual", "2024年4月15日完成")],
            "indicator.deviation_unexplained", "文书送达及时性", "deviation_reason", ERROR),
    # 定量指标
    mistake("稳定率低于下限", "工伤系统", [("indicator", "系统运行稳定率", "actual", "97.50")],
            "indicator.deviation_unexplained", "系统运行稳定率", "deviation_reason", ERROR),
    mistake("严格大于未满足", "鉴定费", [("indicator", "鉴定结果准确性", "actual", "99.00")],
            "indicator.deviation_unexplained", "鉴定结果准确性", "deviation_reason", ERROR),
    mistake("投诉超过上限", "邮寄费", [("indicator", "当事人投诉例数", "actual", "2.00")],
            "indicator.deviation_unexplained", "当事人投诉例数", "deviation_reason", ERROR),
    mistake("偏差原因填数值", "征地养老", [("indicator", "补贴对象覆盖率", "deviation_reason", "100.00")],
            "indicator.reason_is_value", "补贴对象覆盖率", "deviation_reason", ERROR),
    mistake("上岗率以人计", "购买服务", [("indicator", "人员上岗率", "target", "=11.00(人)"),
                                      ("indicator", "人员上岗率", "planned", "11.00"),
                                      ("indicator", "人员上岗率", "actual", "11.00")],
            "indicator.rate_unit", "人员上岗率", "target", ERROR),
    mistake("覆盖率超过100%", "宣传费", [("indicator", "政策宣传覆盖率", "actual", "105.00")],
            "indicator.percent_over_100", "政策宣传覆盖率", "actual", ERROR),
    mistake("数量指标填文字", "邮寄费", [("indicator", "送达文书数量", "actual", "已送达")],
            "indicator.value_kind", "送达文书数量", "actual", ERROR),
    mistake("定性等级无法判断", "宣传费", [("indicator", "宣传主题契合度", "actual", "较好")],
            "indicator.qualitative_grade", "宣传主题契合度", "actual", WARNING),
    mistake("计划远落后于序时", "邮寄费", [("indicator", "送达文书数量", "planned", "3000.00"),
                                          ("indicator", "送达文书数量", "actual", "3000.00")],
            "indicator.plan_pace", "送达文书数量", "planned", WARNING),
    mistake("远超计划未说明", "邮寄费", [("indicator", "送达文书数量", "actual", "13000.00")],
            "indicator.target_too_low", "送达文书数量", "deviation_reason", WARNING),
    # 指标结构
    mistake("满意度列在产出指标下", "邮寄费", [("indicator", "邮寄对象满意度", "level1", "产出指标"),
                                              ("indicator", "邮寄对象满意度", "level2", "质量指标")],
            "indicator.satisfaction_misplaced", "邮寄对象满意度", "level1", WARNING),
    mistake("没有产出指标", "征地养老", [("relevel", "产出指标", "效益指标")],
            "indicator.no_output_indicator", None, "indicators", WARNING),
    mistake("没有效益指标", "鉴定费", [("drop", "效益指标")],
            "indicator.no_benefit_indicator", None, "indicators", WARNING),
    mistake("社会效益指标列在产出指标下", "邮寄费", [("indicator", "当事人投诉例数", "level1", "产出指标")],
            "indicator.level_mismatch", "当事人投诉例数", "level2", WARNING),
    mistake("数量指标列在效益指标下", "宣传费", [("indicator", "政策宣传覆盖率", "level2", "数量指标")],
            "indicator.level_mismatch", "政策宣传覆盖率", "level2", WARNING),
    mistake("同一指标填了两行", "购买服务", [("repeat", "人员上岗率")],
            "indicator.duplicate_name", "人员上岗率", "name", WARNING),
    mistake("沿用上年的期限", "宣传费", [("indicator", "宣传品制作及时性", "target", "2023年9月底前"),
                                        ("indicator", "宣传品制作及时性", "planned", "2023年9月底前"),
                                        ("indicator", "宣传品制作及时性", "actual", "2023年8月完成")],
            "indicator.target_year_mismatch", "宣传品制作及时性", "target", WARNING),
    mistake("时效指标以件计", "购买服务", [("indicator", "工作完成及时性", "target", "=500.00(件)"),
                                          ("indicator", "工作完成及时性", "planned", "500.00"),
                                          ("indicator", "工作完成及时性", "actual", "500.00")],
            "indicator.timeliness_count", "工作完成及时性", "target", WARNING),
    mistake("文书份数带小数", "邮寄费", [("indicator", "送达文书数量", "actual", "10000.50")],
            "indicator.fractional_count", "送达文书数量", "actual", WARNING),
    # 总体判断与纠偏
    mistake("红灯仍确定能完成且措施无关", "宣传费", [("budget", "spent", "1.00"),
                                                    ("text", "progress", "宣传工作正常开展。"),
                                                    ("text", "corrective_actions", "加强宣传品质量管理")],
            "judgement.certain_with_red_budget", None, "budget_likelihood", WARNING),
    mistake("指标未达成仍确定能完成且措施无关", "鉴定费", [
        ("indicator", "鉴定对象满意度", "actual", "85.00"),
        ("indicator", "鉴定对象满意度", "deviation_reason", "部分当事人对鉴定结论有异议"),
        ("text", "corrective_actions", "加快鉴定费用支付进度")],
            "judgement.certain_with_missed_indicators", None, "goal_likelihood", WARNING),
    mistake("有偏差无纠偏措施", "工伤系统", [
        ("indicator", "系统数据准确性", "actual", "99.00"),
        ("indicator", "系统数据准确性", "deviation_reason", "数据迁移时出现少量差错")],
            "corrective.missing_for_deviation", None, "corrective_actions", WARNING),
    mistake("有可能完成却无措施", "宣传费", [("text", "goal_likelihood", "有可能完成")],
            "corrective.missing", None, "corrective_actions", ERROR),
    mistake("黄灯无措施", "邮寄费", [("budget", "spent", "6.00")],
            "corrective.missing_for_budget_light", None, "corrective_actions", WARNING),
    mistake("分文未支仍确定能完成", "购买服务", [("budget", "spent", "0.00"),
                                              ("text", "progress", "按月支付雇员工资。")],
            "judgement.certain_with_nothing_spent", None, "budget_likelihood", WARNING),
    mistake("完成可能性写法不对", "征地养老", [("text", "budget_likelihood", "能完成")],
            "form.invalid_likelihood", None, "budget_likelihood", ERROR),
    mistake("完成情况空白", "工伤系统", [("text", "progress", "")],
            "form.missing_field", None, "progress", ERROR),
    mistake("进度正常却判完全不可能完成", "征地养老", [("text", "goal_likelihood", "完全不可能完成"),
                                                    ("text", "corrective_actions", "按季度核对发放名单")],
            "judgement.impossible_while_on_track", None, "goal_likelihood", WARNING),
    # 预期目标与指标
    mistake("目标满意度与指标值不符", "宣传费", [("text", "goal", "政策宣传全覆盖，群众满意度达95%。")],
            "goal.figure_mismatch", "群众满意度", "goal", WARNING),
    mistake("目标份数与指标值不符", "邮寄费", [("text", "goal", "2024年预计送达文书15000份，文书送达准确且及时，"
                                                            "邮寄对象满意度达90%")],
            "goal.figure_mismatch", "送达文书数量", "goal", WARNING),
    mistake("目标全覆盖而指标95%", "征地养老", [
        ("text", "goal", "落实市、区级文件要求，确保各类补贴准确、及时、足额发放，补贴对象全覆盖。"),
        ("indicator", "补贴对象覆盖率", "target", "≥95.00(%)"),
        ("indicator", "补贴对象覆盖率", "planned", "95.00"),
        ("indicator", "补贴对象覆盖率", "actual", "96.00")],
            "goal.figure_mismatch", "补贴对象覆盖率", "goal", WARNING),
    mistake("目标比率无指标", "邮寄费", [("text", "goal", "2024年预计送达文书12000份，文书退件率低于2%，"
                                                      "邮寄对象满意度达90%")],
            "goal.figure_unmeasured", None, "goal", WARNING),
    mistake("目标件数无指标", "鉴定费", [("text", "goal", "鉴定、认定工作完成率100%，鉴定对象满意度达90%。"
                                                    "2024年完成劳动能力鉴定3000件。")],
            "goal.figure_unmeasured", None, "goal", WARNING),
    # 文字与数字
    mistake("资金使用进度与执行率不符", "宣传费", [("text", "progress", "资金使用进度为50%，年底将全部完成预算数。")],
            "text.rate_mismatch", None, "progress", WARNING),
    mistake("已拨付比例与执行率不符", "购买服务", [("text", "progress", "已拨付雇员经费45%。")],
            "text.rate_mismatch", None, "progress", WARNING),
    mistake("支出进度与执行率不符", "征地养老", [("text", "progress", "支出进度40%，年底前执行率可以达到90%以上。")],
            "text.rate_mismatch", None, "progress", WARNING),
    mistake("已使用比例与执行率不符", "邮寄费", [("text", "progress", "已使用经费60%，年底将全部完成年初预算数。")],
            "text.rate_mismatch", None, "progress", WARNING),
    mistake("已全额支出仍称将付尾款", "养老系统", [("budget", "spent", "10.11"),
                                                  ("text", "progress", "目前支付运维费100%，年底前将支付尾款。")],
            "text.future_payment_after_full_spending", None, "progress", WARNING),
    mistake("截至往年", "宣传费", [("text", "progress", "截至2023年底，宣传工作正常执行，年底将全部完成预算数。")],
            "text.year_mismatch", None, "progress", WARNING),
    mistake("目标沿用往年", "征地养老", [("text", "goal", "落实市、区级文件要求，2023年规范征地养老各类保障待遇。")],
            "text.year_mismatch", None, "goal", WARNING),
    mistake("纠偏措施写往年", "工伤系统", [("text", "corrective_actions", "按2023年运维合同执行")],
            "text.year_mismatch", None, "corrective_actions", WARNING),
    mistake("完成情况词组重复", "鉴定费", [("text", "progress", "执行率89.98%，鉴定工作顺利推进鉴定工作顺利推进，"
                                                            "年底前将达到执行率95%以上。")],
            "text.garbled", None, "progress", INFO),
    mistake("目标残句", "邮寄费", [("text", "goal", "2024年预计送达文书12000份，邮寄对象满意度达90%。达90%。")],
            "text.garbled", None, "goal", INFO),
    mistake("数量指标写成定性", "邮寄费", [("indicator", "送达文书数量", "target", "按需送达"),
                                     ("indicator", "送达文书数量", "planned", "按需送达"),
                                     ("indicator", "送达文书数量", "actual", "按需送达")],
            "indicator.quantity_qualitative", "送达文书数量", "target", WARNING),
    mistake("满意度目标定为60%", "征地养老", [("indicator", "受补对象满意度", "target", "≥60.00(%)")],
            "indicator.target_lenient", "受补对象满意度", "target", WARNING),
    mistake("计划突破年度上限", "鉴定费", [("indicator", "再次鉴定申请率", "planned", "12.00")],
            "indicator.plan_beyond_target", "再次鉴定申请率", "planned", WARNING),
    # 单位与量级
    mistake("送达数量写成件", "邮寄费", [("indicator", "送达文书数量", "actual", "10000件")],
            "indicator.unit_mismatch", "送达文书数量", "actual", WARNING),
    mistake("雇员数量计划写成人次", "购买服务", [("indicator", "购买雇员数量", "planned", "11人次")],
            "indicator.unit_mismatch", "购买雇员数量", "planned", WARNING),
    mistake("满意度写成小数", "宣传费", [("indicator", "群众满意度", "actual", "0.92")],
            "indicator.percent_as_fraction", "群众满意度", "actual", WARNING),
    mistake("万元金额填在以元计的表中", "鉴定费", [("unit", "元")],
            "budget.unit_implausible", None, "budget.total.initial", WARNING),
    mistake("元金额填在以万元计的表中", "购买服务", [("scale", "10000")],
            "budget.unit_implausible", None, "budget.total.initial", WARNING),
    mistake("称资金已全部支付", "鉴定费", [("text", "progress", "鉴定工作顺利推进，鉴定费已全部支付。")],
            "text.claims_full_spending", None, "progress", WARNING),
    mistake("称各项指标均已完成而有指标未达标", "邮寄费", [
        ("indicator", "邮寄对象满意度", "actual", "85.00"),
        ("indicator", "邮寄对象满意度", "deviation_reason", "部分当事人对送达时间不满意"),
        ("text", "progress", "执行率82.75%，各项指标均已完成。")],
            "text.claims_all_met", None, "progress", WARNING),
    mistake("全部达成却几乎未支出", "工伤系统", [("budget", "spent", "0.50"),
                                              ("text", "progress", "运维工作正常开展。")],
            "form.results_ahead_of_spending", None, None, WARNING),
    # 达成却写偏差；指标体系缺项
    mistake("稳定率达标却写偏低", "工伤系统", [("indicator", "系统运行稳定率", "deviation_reason",
                                               "受系统升级影响，运行稳定率偏低")],
            "indicator.reason_without_deviation", "系统运行稳定率", "deviation_reason", WARNING),
    mistake("及时完成却写制作延迟", "宣传费", [("indicator", "宣传品制作及时性", "deviation_reason",
                                                "部分宣传品制作延迟")],
            "indicator.reason_without_deviation", "宣传品制作及时性", "deviation_reason", WARNING),
    mistake("投诉为零却写未达标", "邮寄费", [("indicator", "当事人投诉例数", "deviation_reason", "投诉处理未达标")],
            "indicator.reason_without_deviation", "当事人投诉例数", "deviation_reason", WARNING),
    mistake("产出指标没有数量指标", "邮寄费", [("drop", "产出指标", "数量指标")],
            "indicator.no_quantity_indicator", None, "indicators", WARNING),
    mistake("没有满意度指标", "鉴定费", [("drop", "满意度指标")],
            "indicator.no_satisfaction_indicator", None, "indicators", INFO),
)

SOUND: tuple[Case, ...] = (
    sound("成本指标按2020年框架列在产出指标下", "宣传费", [("indicator", "成本控制有效性", "level1", "产出指标"),
                                                  ("indicator", "成本控制有效性", "level2", "成本指标")]),
    sound("经济成本指标列在产出指标下", "工伤系统", [("indicator", "成本控制有效性", "level1", "产出指标")]),
    sound("满意度远高于下限", "宣传费", [("indicator", "群众满意度", "actual", "98.00")]),
    sound("满意度100%", "邮寄费", [("indicator", "邮寄对象满意度", "actual", "100.00")]),
    sound("受补对象满意度99%", "征地养老", [("indicator", "受补对象满意度", "actual", "99.00")]),
    sound("已及时完成", "宣传费", [("indicator", "宣传品制作及时性", "actual", "已及时完成")]),
    sound("已健全", "宣传费", [("indicator", "长效管理机制健全性", "actual", "已健全")]),
    sound("已建立", "鉴定费", [("indicator", "动态管理机制建立情况", "actual", "已建立")]),
    sound("有效控制", "宣传费", [("indicator", "成本控制有效性", "actual", "有效控制")]),
    sound("已优化", "购买服务", [("indicator", "人员结构优化情况", "actual", "已优化")]),
    sound("无延误", "邮寄费", [("indicator", "文书送达及时性", "actual", "无延误")]),
    sound("期限内完成", "宣传费", [("indicator", "宣传品制作及时性", "target", "2024年9月底前"),
                                 ("indicator", "宣传品制作及时性", "planned", "2024年9月底前"),
                                 ("indicator", "宣传品制作及时性", "actual", "2024年8月完成")]),
    sound("期限指标按时完成", "邮寄费", [("indicator", "文书送达及时性", "target", "2024年6月30日前"),
                                       ("indicator", "文书送达及时性", "planned", "2024年6月30日前"),
                                       ("indicator", "文书送达及时性", "actual", "按时完成")]),
    sound("偏差已说明且措施已写", "鉴定费", [
        ("indicator", "鉴定对象满意度", "actual", "88.00"),
        ("indicator", "鉴定对象满意度", "deviation_reason", "部分申请人对鉴定结论不认可"),
        ("text", "corrective_actions", "九月起对鉴定对象逐一回访，解释鉴定依据，提升满意度")]),
    sound("黄灯而措施已写", "邮寄费", [("budget", "spent", "6.00"),
                                   ("text", "corrective_actions", "加快邮寄费用结算，九月起按月支付")]),
    sound("较往年的比较", "宣传费", [("text", "progress", "较2023年宣传覆盖面扩大，年底将全部完成预算数。")]),
    sound("剩余资金待验收后拨付", "养老系统", [("text", "progress", "目前支付运维费69.24%，剩余资金将于验收后拨付。")]),
    sound("已拨付比例与执行率一致", "购买服务", [("text", "progress", "已拨付雇员经费68.21%。")]),
    sound("完成情况只写指标百分比", "宣传费", [("text", "progress", "宣传品制作完成率100%，政策宣传覆盖率100%，"
                                                            "年底将全部完成预算数。")]),
    sound("目标用不低于", "邮寄费", [("text", "goal", "2024年预计送达文书12000份，邮寄对象满意度不低于90%")]),
    sound("目标人数与指标值一致", "购买服务", [("text", "goal", "继续聘用政府购买服务雇员11人，人员上岗率达100%，"
                                                          "委托方满意度达95%。")]),
    sound("超计划已说明", "邮寄费", [
        ("indicator", "送达文书数量", "actual", "12500.00"),
        ("indicator", "送达文书数量", "deviation_reason", "上半年工伤案件增多，送达量超计划")]),
    sound("追加预算已说明", "鉴定费", [
        ("budget", "period_budget", "45.00"),
        ("text", "progress", "年中追加预算4.95万元，执行率80.09%，年底前将达到执行率95%以上。")]),
    sound("截止到本年", "宣传费", [("text", "progress", "预计截止2024年12月全部完成预算数。")]),
    sound("完成值带同一单位", "邮寄费", [("indicator", "送达文书数量", "actual", "10000份")]),
    sound("满意度带百分号", "宣传费", [("indicator", "群众满意度", "actual", "92%")]),
    sound("以元计的项目", "鉴定费", [("unit", "元"), ("scale", "10000")]),
    sound("征地养老十亿级预算", "征地养老", []),
    sound("年底前全部支付", "鉴定费", [("text", "progress", "执行率89.98%，余款年底前全部支付。")]),
    sound("按月足额发放", "征地养老", [("text", "progress", "征地养老待遇按月足额发放。")]),
    sound("未达标而称各项指标均能完成", "鉴定费", [
        ("indicator", "鉴定对象满意度", "actual", "88.00"),
        ("indicator", "鉴定对象满意度", "deviation_reason", "部分申请人对鉴定结论不认可"),
        ("text", "corrective_actions", "九月起对鉴定对象逐一回访，解释鉴定依据，提升满意度"),
        ("text", "progress", "执行率89.98%，各项指标均能完成。")]),
    sound("满意度目标75%", "征地养老", [("indicator", "受补对象满意度", "target", "≥75.00(%)")]),
    sound("叠字不算重复", "邮寄费", [("text", "progress", "按月支付，月月结清，执行率82.75%。")]),
    sound("达成并写未出现滞后", "宣传费", [("indicator", "宣传品制作及时性", "deviation_reason",
                                              "未出现滞后，按计划完成")]),
    sound("累计指标按计划、说明余量", "邮寄费", [("indicator", "送达文书数量", "deviation_reason",
                                                "按计划送达，全年尚有2000份未完成，年底前送达")]),
    sound("达成并写如出现延误的预案", "邮寄费", [("indicator", "文书送达及时性", "deviation_reason",
                                                  "如出现延误将及时补送")]),
    sound("无成本指标的项目", "邮寄费", []),
)
