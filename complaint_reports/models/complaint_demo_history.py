# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""DEMO DATA ONLY: half a year of complaint history for the reports.

``demo/complaint_history_demo.xml`` calls ``_complaint_demo_history`` once,
when the addon is installed with demo data; nothing else calls it. It gives
the periodic reports, the analyses and the dashboard a believable past:
about a hundred complaints in the two months before the current one (last
month more than the month before, billing disputes about value-added services
growing), a dozen a month in the four months before, some of them handed to
the partner organisations of complaint_handling's demo. The draw is
deterministic (``random.Random(2026)``) for a given day of installation.

Every complaint goes through the real process, as the people of the demo
would drive it: accepted, handled or handed over and acknowledged, contacted,
solved, reported, called back, closed; some refused, escalated, given
remedies; the most recent still open.

How the history is dated. The process stamps each step with the time it runs
("now"); there is no clock to set, and none is faked here (no freezegun, no
patched ``now``). The history is therefore made in *time slices*
(``_DemoClock``): one step of the story is run, as a batch, for the
complaints that take it; then what the step stamped (the complaints' dates,
their process records, hand-offs, remedies, escalations, time limits,
chatter and activities) is moved with SQL, per complaint, to the moment the
step took place in the story: one UPDATE per table and slice, shifting every
timestamp the slice wrote by the complaint's offset. The steps are run in the
order of the story, so each complaint's records come in order. Between the
steps, the time limits a complaint would have missed before its next step are
breached by the deadline job's own code, dated at their deadline. At the end,
the met time limits are measured again on the moved dates (met or met late,
minutes late, time taken): the process compared them with the real time.
The deadlines of clocks started by a step move with it (exact for clocks
counted in hours; the clocks on a working calendar start at reception, from
the received date given at creation).

This is for demo databases: SQL on the process's history is never done by the
addon otherwise.
"""

import random
from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from stdnum.cn import ric

from odoo import api, fields, models
from odoo.tools import SQL

SEED = 2026
# Complaints a month, oldest first (the six months before the current one);
# the last two are totals: complaint_handling's demo complaints of those
# months count in them.
MONTH_COUNTS = (8, 10, 12, 14, 40, 58)
# What becomes of the complaints, in shares of each month: most are solved at
# first contact, some refused, escalated, unsatisfied, never reached at the
# callback, or late on one time limit (which the deadline job escalates).
FATES = {
    "normal": 78,
    "refuse": 5,
    "unsatisfied": 5,
    "unreached": 4,
    "late_contact": 1.5,
    "late_report": 1.5,
    "late_callback": 1,
    "slow": 1.5,
    "escalate": 1.5,
}
# Complaints received less than this many days ago may still be open.
STALL_DAYS = 16
# Steps of the story, in the order they are run.
SLOTS = (
    "refuse",
    "accept",
    "start",
    "handoff",
    "ack",
    "take",
    "contact_fail",
    "contact",
    "verify",
    "escalate",
    "remedy",
    "remedy_approve",
    "solution",
    "report",
    "cb_fail1",
    "cb_fail2",
    "cb_fail3",
    "cb",
    "solution2",
    "report2",
    "cb2",
    "close",
)
# Steps the partner organisation's agent takes on a complaint handed over.
AGENT_SLOTS = {
    "ack",
    "take",
    "contact_fail",
    "contact",
    "verify",
    "solution",
    "report",
    "cb_fail1",
    "cb_fail2",
    "cb_fail3",
    "cb",
    "solution2",
    "report2",
    "cb2",
}
CHANNELS = {
    "hotline": 52,
    "app": 18,
    "outlet": 15,
    "social": 4,
    "email_box": 3,
    "letter": 1,
    "regulator": 5,
}
# Complaint types (complaint_handling's helpdesk_ticket_category_<key>):
# weight (the last two months may grow, see GROWTH), business lines,
# [(title, description)], demand, solution, conclusion, remedy (type, share of
# the complaints, lowest and highest amount) or None.
TYPES = {
    "billing_overcharge": (
        12,
        {"mobile": 8, "broadband": 2},
        [
            (
                "账单出现不明的流量超额费用",
                "本月账单显示国内流量超额费86元，手机一直开着流量提醒，"
                "没有收到任何超量短信，怀疑计费有误。",
            ),
            (
                "套餐月费被重复扣除",
                "本月话费账户被扣了两次套餐月费，每次128元，营业厅说要等系统核查，"
                "至今没有结果。",
            ),
        ],
        "核实扣费明细，退还多收的费用。",
        "核查计费详单，确认多收部分并原路退还；为客户开通流量超量提醒。",
        "经核查，多收费用系计费系统重复出账所致，已全额退还至您的话费账户。",
        ("fee_waiver", 0.6, 20, 90),
    ),
    "billing_value_added": (
        6,
        {"mobile": 1},
        [
            (
                "未订购的视频彩铃每月被扣费",
                "近几个月每月被扣视频彩铃功能费10元，本人从未订购，"
                "也没有收到过订购确认短信。",
            ),
            (
                "莫名开通游戏会员包被扣费",
                "账单中出现“游戏会员包”每月15元，本人从未办理，"
                "查询后发现是三个月前开通的。",
            ),
            (
                "手机被开通多项增值业务",
                "帮父母查话费时发现手机开通了阅读包、音乐包等四项增值业务，"
                "每月合计扣费25元，老人根本不会使用。",
            ),
        ],
        "立即退订并退还全部被扣费用，查明订购渠道。",
        "退订相关增值业务，退还订购以来的全部费用，开通增值业务订购保护。",
        "经查，该业务无您的二次确认记录，属订购不规范，已为您退订并全额退费。",
        ("fee_waiver", 0.8, 10, 60),
    ),
    "billing_roaming": (
        5,
        {"mobile": 1},
        [
            (
                "出境旅行产生高额漫游流量费",
                "去日本旅游四天，出发前已订购漫游流量包，回国后仍被收取漫游流量费214元。",
            ),
            (
                "港澳漫游日包未生效被按标准资费计费",
                "在澳门办理的漫游日包没有生效，两天按标准资费扣了168元。",
            ),
        ],
        "按流量包标准重新计费，退还多收部分。",
        "核实漫游流量包生效记录，按包内资费重新计费并退还差额。",
        "经核查，流量包因系统原因延迟生效，已按流量包标准为您重新计费并退还差额。",
        ("fee_waiver", 0.7, 30, 100),
    ),
    "billing_tariff": (
        8,
        {"mobile": 6, "broadband": 3, "fixed": 1},
        [
            (
                "套餐实际资费与办理时宣传不符",
                "营业员说套餐每月只收59元，实际每月扣费79元，"
                "多出的20元说是合约附加费。",
            ),
            (
                "宽带续约后月费上涨未告知",
                "宽带合约到期后自动续约，月费从100元涨到150元，事先没有任何通知。",
            ),
        ],
        "按办理时承诺的资费收费，退还差价。",
        "调取办理记录核实承诺内容，按承诺资费调整并退还差价。",
        "经核实，办理时的宣传与实际资费不一致，已按承诺资费为您调整，差价已退还。",
        ("fee_waiver", 0.6, 20, 80),
    ),
    "signal_weak_signal": (
        8,
        {"mobile": 1},
        [
            (
                "家中室内手机信号弱，经常无服务",
                "住在小区高层，近一个月家中手机信号只有一格，通话经常中断，"
                "需要到窗边才能接听。",
            ),
            (
                "办公室室内信号差，视频会议频繁卡顿",
                "公司搬到新写字楼后，室内手机信号很差，5G经常掉到4G甚至无服务。",
            ),
        ],
        "尽快改善室内信号覆盖。",
        "网优现场测试，调整周边基站参数，必要时安装家庭小基站。",
        "经现场测试，室内弱覆盖系周边建筑遮挡所致，已优化基站参数并为您安装"
        "家庭小基站，复测信号正常。",
        None,
    ),
    "signal_no_signal": (
        3,
        {"mobile": 1},
        [
            (
                "小区附近突然无信号已持续三天",
                "三天前开始小区一带手机完全没有信号，邻居也是同样情况，"
                "打客服只说在处理。",
            ),
        ],
        "尽快恢复信号，减免无信号期间的月租。",
        "排查基站故障并抢修，恢复后上门复测。",
        "经查，附近基站因电力故障退服，已于次日完成抢修，信号已恢复。",
        ("fee_waiver", 0.5, 10, 30),
    ),
    "signal_data_speed": (
        5,
        {"mobile": 1},
        [
            (
                "5G网速远低于宣传",
                "办理了5G套餐，但在家测速下载只有十几兆，晚上更是打不开视频。",
            ),
            (
                "晚高峰手机上网速度极慢",
                "每天晚上七点到十一点手机上网基本用不了，网页都打不开。",
            ),
        ],
        "提升网速，否则要求降档套餐且不收违约金。",
        "网优核查小区负荷，扩容载频并优化参数。",
        "经核查，所在小区晚高峰负荷较高，已完成扩容，复测下载速率恢复正常。",
        None,
    ),
    "fault_repair_broadband_down": (
        7,
        {"broadband": 5, "fixed": 1},
        [
            (
                "家庭宽带中断超过24小时未修复",
                "家里宽带从昨天下午开始无法上网，光猫LOS灯红灯闪烁，"
                "报修后一直没人上门。",
            ),
            (
                "宽带频繁掉线影响居家办公",
                "最近一周宽带每天掉线好几次，每次要重启光猫才能恢复，"
                "严重影响居家办公。",
            ),
        ],
        "尽快上门修复，减免故障期间的月租。",
        "安排装维工程师上门检修线路，更换故障设备。",
        "经上门检测，故障系入户光缆受损所致，已更换光缆并恢复宽带，"
        "故障期间月租按天减免。",
        ("fee_waiver", 0.5, 10, 40),
    ),
    "fault_repair_repair_delay": (
        5,
        {"broadband": 3, "fixed": 2},
        [
            (
                "预约上门维修的工程师爽约",
                "预约了周六上午上门维修宽带，在家等了一上午没人来，也没有电话通知。",
            ),
            (
                "固话故障报修一周未处理",
                "家里固定电话没有拨号音，报修已经一周，一直说排队等待。",
            ),
        ],
        "尽快安排维修，对爽约给出说法。",
        "重新预约并优先派单，对爽约的装维人员进行考核。",
        "已于次日优先安排工程师上门修复，对装维人员爽约问题已作内部考核，并向您致歉。",
        ("compensation", 0.4, 20, 50),
    ),
    "call_quality_dropped": (
        3,
        {"mobile": 1},
        [
            (
                "通话过程中频繁掉线",
                "最近在公司附近打电话经常通话几分钟就自动断线，换了手机也一样。",
            ),
        ],
        "解决掉话问题。",
        "网优路测定位掉话原因，调整切换参数。",
        "经路测，掉话系两个小区切换参数不当所致，已调整参数，复测通话正常。",
        None,
    ),
    "call_quality_noise": (
        2,
        {"mobile": 2, "fixed": 1},
        [
            (
                "通话有杂音和回声",
                "最近打电话对方总说听到很大的杂音，有时还有回声，已经持续两周。",
            ),
        ],
        "尽快解决通话质量问题。",
        "核查所在区域基站及传输设备告警，更换故障设备。",
        "经核查，系所在区域基站传输设备故障，已更换设备，通话质量恢复正常。",
        None,
    ),
    "attitude_staff": (
        6,
        {"mobile": 6, "broadband": 3},
        [
            (
                "营业厅工作人员态度恶劣",
                "在营业厅办理业务时，工作人员不耐烦，对我的问题爱答不理，还出言顶撞。",
            ),
            (
                "装维人员上门服务态度差",
                "装维师傅上门时态度很差，抱怨我家线路难弄，走时还把垃圾留在家里。",
            ),
        ],
        "要求当事人道歉，并对其进行处理。",
        "调取服务录像核实，当事人向客户致歉，纳入服务考核。",
        "经核实，当事员工服务用语不规范，已对其批评教育并纳入考核，员工已向您致歉。",
        ("compensation", 0.2, 10, 30),
    ),
    "attitude_hotline_wait": (
        4,
        {"mobile": 1},
        [
            (
                "客服热线长时间无法接通人工",
                "拨打客服热线转人工等待了二十多分钟，中途还被挂断两次。",
            ),
        ],
        "改善热线接通率，并对我的原问题给予答复。",
        "核查当日话务情况，安排专人回电处理客户的原问题。",
        "当日热线话务量激增导致等待时间过长，对此深表歉意，已安排专人为您处理原问题。",
        None,
    ),
    "business_plan_change": (
        5,
        {"mobile": 7, "broadband": 3},
        [
            (
                "申请套餐降档一直未生效",
                "上个月在APP申请把套餐从129元降到79元，这个月仍按129元扣费。",
            ),
            (
                "营业厅办理的取消副卡没有执行",
                "在营业厅办理了取消副卡，下个月账单仍然收取副卡费用。",
            ),
        ],
        "按申请变更套餐，退还多收的费用。",
        "核实变更工单，立即执行变更并退还差价。",
        "经核查，您的变更工单因系统异常未执行，已为您完成变更并退还多收费用。",
        ("fee_waiver", 0.6, 20, 60),
    ),
    "business_cancellation": (
        4,
        {"broadband": 5, "mobile": 4, "fixed": 1},
        [
            (
                "宽带销户被要求到开户营业厅办理",
                "搬家后要注销宽带，客服说只能到开户的营业厅办理，来回要两个小时。",
            ),
            (
                "注销副卡被多次推诿",
                "到营业厅注销副卡，被要求先办理新的优惠活动，否则不给注销。",
            ),
        ],
        "就近办理销户，不得捆绑其他业务。",
        "协调就近营业厅受理销户，核查推诿情况并整改。",
        "已为您在就近营业厅办理销户，对工作人员推诿的情况已通报整改。",
        None,
    ),
    "business_number_porting": (
        2,
        {"mobile": 1},
        [
            (
                "申请携号转网被告知不符合条件",
                "申请携号转网时收到短信说有未到期合约，但我的合约上个月已经到期。",
            ),
        ],
        "解除错误限制，办理携号转网。",
        "核实合约状态，清除错误的限制标识。",
        "经核查，系统中的合约到期数据未及时更新，已为您清除限制，"
        "现可正常办理携号转网。",
        None,
    ),
    "privacy_spam": (
        2,
        {"mobile": 1},
        [
            (
                "频繁收到营销骚扰电话",
                "每天都会接到推销贷款和房产的电话，怀疑个人号码被泄露。",
            ),
        ],
        "查明号码泄露原因，拦截骚扰电话。",
        "为客户开通骚扰电话拦截，核查内部信息使用记录。",
        "经核查，未发现我司内部泄露您个人信息的情况，已为您免费开通防骚扰拦截服务。",
        None,
    ),
    "privacy_data_leak": (
        1,
        {"broadband": 1},
        [
            (
                "刚办理业务就接到精准推销电话",
                "刚在营业厅办理完宽带，当天就接到其他公司的推销电话，"
                "对方能准确说出我的姓名和住址。",
            ),
        ],
        "调查个人信息泄露，追究责任。",
        "调取业务办理环节的信息访问记录，排查泄露环节。",
        "经调查，涉事代理网点人员违规留存客户信息，已解除合作并报相关部门处理。",
        None,
    ),
}
# The hot types: their weight in the six months, oldest first.
GROWTH = {
    "billing_value_added": (5, 5, 6, 6, 8, 15),
    "fault_repair_broadband_down": (6, 6, 7, 7, 7, 12),
}
# Complaint types that need a qualification the handlers do not hold: the
# demo supervisor takes them, they stay with the carrier.
SUPERVISOR_TYPES = {"business_number_porting", "privacy_spam", "privacy_data_leak"}
REFUSALS = {
    "outside_scope": "您反映的问题属于第三方平台或终端厂商的服务范围，不属于我司的"
    "责任范围，建议您联系相应商家处理，我司可协助提供联系方式。",
    "no_contact": "您留下的联系电话多次无法接通，也未提供可核实的业务号码，暂无法"
    "受理。欢迎补充信息后重新提交。",
    "time_barred": "您提出异议的账单已超过话费争议受理时限，详单已按规定不再保存，"
    "无法核实，故不予受理。",
}
ESCALATIONS = {
    "regulator_media": "工信部申诉转办件，升级至二级由主管督办。",
    "management_legal": "客户要求管理层出面处理并表示将诉诸法律，升级主管。",
    "group_risk": "同一小区多名用户反映同一问题，存在群体投诉风险，升级主管协调。",
}
UNSATISFIED_COMMENTS = (
    "客户认为补偿金额偏低。",
    "客户表示问题仍未彻底解决。",
    "客户对处理时长不满意。",
)
SATISFIED_COMMENTS = (
    "客户表示问题已解决，感谢回访。",
    "客户对处理结果满意。",
    "",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯"
GIVEN_NAMES = (
    "建华 丽娟 志强 秀兰 国平 海燕 文杰 晓东 婷婷 俊杰 美玲 永康 淑华 子豪 "
    "雅琴 振宇 春梅 伟民 嘉怡 德胜 慧敏 家豪 桂英 思远"
).split()
# (city, post code, resident ID region, street)
CITIES = (
    ("广州市", "510620", "440106", "天河区黄埔大道西{n}号"),
    ("广州市", "510030", "440104", "越秀区东风中路{n}号"),
    ("广州市", "510220", "440105", "海珠区江南大道中{n}号"),
    ("深圳市", "518033", "440304", "福田区深南中路{n}号"),
    ("深圳市", "518054", "440305", "南山区南海大道{n}号"),
    ("东莞市", "523120", "441900", "东城街道东纵大道{n}号"),
    ("佛山市", "528000", "440604", "禅城区季华五路{n}号"),
    ("珠海市", "519000", "440402", "香洲区凤凰北路{n}号"),
)
CUSTOMERS = 60


class _DemoClock:
    """Runs the steps of the demo story in time slices and moves what each
    slice stamped to the time of the story (see the module's docstring)."""

    # (table, its complaint column, the timestamps the process writes "now")
    STAMPED = (
        (
            "helpdesk_ticket",
            "id",
            (
                "last_stage_update",
                "assigned_date",
                "closed_date",
                "customer_confirmed_date",
                "solution_implemented_date",
            ),
        ),
        ("complaint_transfer", "ticket_id", ("date_sent", "date_acknowledged")),
        ("complaint_handling_log", "ticket_id", ("date", "tech_answer_date")),
        ("complaint_feedback", "ticket_id", ("date",)),
        ("complaint_callback", "ticket_id", ("date",)),
        ("complaint_escalation", "ticket_id", ("date",)),
        ("complaint_remedy", "ticket_id", ("decision_date",)),
        ("complaint_sla_line", "ticket_id", ("start_date", "met_date", "pause_start")),
        ("complaint_qualification_override", "ticket_id", ("date",)),
    )
    # Models whose chatter and activities belong to a complaint (ticket_id).
    THREADS = ("complaint.remedy",)

    def __init__(self, env):
        self.env = env
        # The time of the transaction: the ORM's create and write dates.
        self.tx = env.cr.now()

    def run(self, targets, step, *args):
        """Run ``step(*args)`` now, then move what it stamped on each
        complaint of ``targets`` ({complaint id: datetime of the story})."""
        env = self.env
        env.flush_all()
        start = fields.Datetime.now()
        result = step(*args)
        env.flush_all()
        end = fields.Datetime.now()
        ids = list(targets)
        if not ids:
            env.invalidate_all()
            return result
        # Whole seconds, as the ORM stores its datetimes.
        deltas = [
            targets[ticket_id].replace(microsecond=0) - start for ticket_id in ids
        ]
        offsets = SQL(
            "unnest(%s::int[], %s::interval[]) AS o(ticket_id, delta)", ids, deltas
        )
        self._shift_sla_plans(offsets, start, end)
        self._shift_event_dates(offsets, start, end)
        for table, key, columns in self.STAMPED:
            self._shift_table(offsets, start, end, table, key, columns)
        self._shift_threads(offsets, start, end)
        env.invalidate_all()
        return result

    def _moved(self, column, start, end, alias="x"):
        column = SQL.identifier(alias, column)
        return SQL(
            "CASE WHEN %s BETWEEN %s AND %s THEN %s + o.delta ELSE %s END",
            column,
            start,
            end,
            column,
            column,
        )

    def _log_access(self, start, alias="x"):
        """create_date and write_date of the rows the slice created or wrote:
        the ORM gives them the transaction's time."""
        return [
            SQL(
                "%s = CASE WHEN %s = %s THEN %s + o.delta ELSE %s END",
                SQL.identifier(name),
                SQL.identifier(alias, name),
                self.tx,
                start,
                SQL.identifier(alias, name),
            )
            for name in ("create_date", "write_date")
        ]

    def _touched(self, columns, start, end, alias="x"):
        conditions = [
            SQL("%s BETWEEN %s AND %s", SQL.identifier(alias, column), start, end)
            for column in columns
        ]
        conditions += [
            SQL("%s = %s", SQL.identifier(alias, name), self.tx)
            for name in ("create_date", "write_date")
        ]
        return SQL("(%s)", SQL(" OR ").join(conditions))

    def _shift_table(self, offsets, start, end, table, key, columns):
        sets = [
            SQL("%s = %s", SQL.identifier(column), self._moved(column, start, end))
            for column in columns
        ]
        self.env.cr.execute(
            SQL(
                "UPDATE %s AS x SET %s FROM %s WHERE %s = o.ticket_id AND %s",
                SQL.identifier(table),
                SQL(", ").join(sets + self._log_access(start)),
                offsets,
                SQL.identifier("x", key),
                self._touched(columns, start, end),
            )
        )

    def _shift_sla_plans(self, offsets, start, end):
        """The clocks started in the slice: their deadline, warnings and next
        check were planned from "now" (before their start is moved)."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE complaint_sla_line AS x
                   SET deadline = x.deadline + o.delta,
                       next_check = x.next_check + o.delta,
                       warning_schedule = CASE
                           WHEN x.warning_schedule IS NULL THEN NULL
                           ELSE (
                               SELECT COALESCE(json_agg(
                                   to_char(w.value::timestamp + o.delta,
                                           'YYYY-MM-DD HH24:MI:SS')
                                   ORDER BY w.n), '[]')::text
                                 FROM json_array_elements_text(
                                          x.warning_schedule::json)
                                      WITH ORDINALITY AS w(value, n)
                           )
                       END
                  FROM %s
                 WHERE x.ticket_id = o.ticket_id
                   AND x.start_date BETWEEN %s AND %s
                """,
                offsets,
                start,
                end,
            )
        )

    def _shift_event_dates(self, offsets, start, end):
        """The process events' dates (JSON) the slice appended."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE helpdesk_ticket AS x
                   SET sla_event_dates = (
                       SELECT jsonb_object_agg(e.key, (
                           SELECT jsonb_agg(CASE
                               WHEN s.value::timestamp BETWEEN %(start)s AND %(end)s
                               THEN to_jsonb(to_char(s.value::timestamp + o.delta,
                                                     'YYYY-MM-DD HH24:MI:SS'))
                               ELSE to_jsonb(s.value)
                           END ORDER BY s.n)
                             FROM jsonb_array_elements_text(e.value)
                                  WITH ORDINALITY AS s(value, n)
                       ))
                         FROM jsonb_each(x.sla_event_dates) AS e
                   )
                  FROM %(offsets)s
                 WHERE x.id = o.ticket_id AND x.sla_event_dates IS NOT NULL
                """,
                start=start,
                end=end,
                offsets=offsets,
            )
        )

    def _shift_threads(self, offsets, start, end):
        """Chatter and activities of the complaints and of their records."""
        records = SQL(" UNION ALL ").join(
            [
                SQL(
                    "SELECT 'helpdesk.ticket'::varchar AS model, o.ticket_id AS "
                    "res_id, o.delta FROM %s",
                    offsets,
                )
            ]
            + [
                SQL(
                    "SELECT %s::varchar, r.id, o.delta FROM %s AS r JOIN %s "
                    "ON r.ticket_id = o.ticket_id",
                    model,
                    SQL.identifier(self.env[model]._table),
                    offsets,
                )
                for model in self.THREADS
            ]
        )
        self.env.cr.execute(
            SQL(
                "WITH o AS (%s) UPDATE mail_message AS x SET date = %s, %s "
                "FROM o WHERE x.model = o.model AND x.res_id = o.res_id AND %s",
                records,
                self._moved("date", start, end),
                SQL(", ").join(self._log_access(start)),
                self._touched(["date"], start, end),
            )
        )
        # Activities: their due date was planned from today.
        self.env.cr.execute(
            SQL(
                """
                WITH o AS (%s)
                UPDATE mail_activity AS x
                   SET date_deadline = CASE WHEN x.create_date = %s
                           THEN (x.date_deadline + o.delta)::date
                           ELSE x.date_deadline END,
                       date_done = CASE WHEN x.write_date = %s
                           THEN (x.date_done + o.delta)::date
                           ELSE x.date_done END,
                       %s
                  FROM o
                 WHERE x.res_model = o.model AND x.res_id = o.res_id AND %s
                """,
                records,
                self.tx,
                self.tx,
                SQL(", ").join(self._log_access(start)),
                self._touched([], start, end),
            )
        )


class ComplaintReportFigures(models.AbstractModel):
    _inherit = "complaint.report.figures"

    @api.model
    def _complaint_demo_history(self):
        """DEMO DATA ONLY (see the module's docstring): half a year of
        complaints through the real process, dated in the past."""
        return _DemoHistory(self.env).build()


class _DemoHistory:
    """The demo story: who complains about what, when, and how it ends."""

    def __init__(self, env):
        self.env = env
        self.rng = random.Random(SEED)
        self.clock = _DemoClock(env)
        self.now = fields.Datetime.now()
        self.cases = []

    def ref(self, xmlid):
        return self.env.ref(xmlid)

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------

    def build(self):
        self._load_refs()
        self._plan()
        self._create()
        for slot in SLOTS:
            self._run_slot(slot)
        open_cases = [case for case in self.cases if "close" not in case["at"]]
        self._breach({case["ticket"].id: self.now for case in open_cases})
        tickets = self.env["helpdesk.ticket"].browse(
            [case["ticket"].id for case in self.cases]
        )
        self._measure_time_limits(tickets)
        self._align_log_dates(tickets)
        return tickets.ids

    def _load_refs(self):
        ref = self.ref
        prefix = "complaint_handling."
        self.team = ref(prefix + "helpdesk_ticket_team_complaint")
        self.handlers = [
            ref(prefix + "res_users_complaint_handler1_demo"),
            ref(prefix + "res_users_complaint_handler2_demo"),
        ]
        self.supervisor = ref(prefix + "res_users_complaint_supervisor_demo")
        self.types = {
            key: ref(f"{prefix}helpdesk_ticket_category_{key}") for key in TYPES
        }
        self.channels = {
            key: ref(f"{prefix}helpdesk_ticket_channel_{key}") for key in CHANNELS
        }
        self.reasons = {
            key: ref(f"{prefix}complaint_refuse_reason_{key}") for key in REFUSALS
        }
        yuexin = ref(prefix + "complaint_partner_agreement_yuexin_demo")
        huacheng = ref(prefix + "complaint_partner_agreement_huacheng_demo")
        self.orgs = {
            "yuexin": {
                "agreement": yuexin,
                "agents": [
                    ref(prefix + "res_users_complaint_agent1_demo"),
                    ref(prefix + "res_users_complaint_agent2_demo"),
                ],
                "supervisor": ref(prefix + "res_users_complaint_agent_supervisor_demo"),
                "share": 0.5,
            },
            "huacheng": {
                "agreement": huacheng,
                "agents": [ref(prefix + "res_users_complaint_agent3_demo")],
                "supervisor": None,
                "share": 0.45,
            },
        }
        self.company = self.team.company_id or self.env.company

    # ------------------------------------------------------------------
    # The plan: who, what, when
    # ------------------------------------------------------------------

    def _months(self):
        """(first day, number of complaints to make) of the six months before
        the current one, oldest first."""
        first = self.now.date().replace(day=1)
        months = []
        for index, count in enumerate(MONTH_COUNTS):
            start = first - relativedelta(months=len(MONTH_COUNTS) - index)
            if index >= len(MONTH_COUNTS) - 2:
                existing = self.env["helpdesk.ticket"].search_count(
                    [
                        ("kind", "=", "complaint"),
                        ("received_date", ">=", datetime.combine(start, time.min)),
                        (
                            "received_date",
                            "<",
                            datetime.combine(start + relativedelta(months=1), time.min),
                        ),
                    ]
                )
                count = max(count - existing, count // 2)
            months.append((start, count))
        return months

    def _plan(self):
        rng = self.rng
        customers = self._customers()
        for index, (month, count) in enumerate(self._months()):
            days = [
                month + timedelta(days=n)
                for n in range((month + relativedelta(months=1) - month).days)
            ]
            day_weights = [0.6 if day.weekday() >= 5 else 1.0 for day in days]
            types = self._deck(
                {key: GROWTH.get(key, (TYPES[key][0],) * 6)[index] for key in TYPES},
                count,
            )
            channels = self._deck(CHANNELS, count)
            fates = self._deck(FATES, count)
            for key, channel, fate in zip(types, channels, fates, strict=True):
                day = rng.choices(days, day_weights)[0]
                received = datetime.combine(day, time(0, 30)) + timedelta(
                    minutes=rng.randrange(0, 570)
                )
                person = rng.choice(customers)
                self.cases.append(self._case(key, channel, fate, received, person))
        self.cases.sort(key=lambda case: case["received"])
        self._plan_report_story()

    def _plan_report_story(self):
        """Yuexin's demo report of last month says that two customers found
        their compensation too low at the callback: so they did."""
        last_month = self.now.date().replace(day=1) - relativedelta(months=1)
        cases = [
            case
            for case in self.cases
            if case.get("org") == "yuexin"
            and case["received"].date() >= last_month
            and "close" in case["at"]
        ]
        unsatisfied = [
            case
            for case in cases
            if (case.get("callback2") or case.get("callback") or {}).get(
                "satisfaction", "5"
            )
            not in ("4", "5")
        ]
        candidates = [
            case
            for case in cases
            if case["fate"] == "normal"
            and case.get("remedy")
            and case not in unsatisfied
        ]
        for case in candidates[: max(2 - len(unsatisfied), 0)]:
            case["callback"] = {
                "reached": True,
                "satisfaction": "3",
                "problem_solved": True,
                "comment": "客户认为补偿金额偏低。",
            }

    def _deck(self, weights, count):
        """``count`` draws in the proportions of ``weights`` (largest
        remainders), shuffled: each month gets its share of every kind."""
        total = sum(weights.values())
        exact = {key: count * weight / total for key, weight in weights.items()}
        deck = {key: int(value) for key, value in exact.items()}
        rest = count - sum(deck.values())
        by_remainder = sorted(exact, key=lambda key: deck[key] - exact[key])
        for key in by_remainder[:rest]:
            deck[key] += 1
        cards = [key for key, number in deck.items() for _n in range(number)]
        self.rng.shuffle(cards)
        return cards

    def _customers(self):
        """Fictional customers: Chinese names, 199 numbers, valid ID numbers."""
        rng = self.rng
        people = []
        vals_list = []
        for _index in range(CUSTOMERS):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)
            phone = f"199{rng.randrange(10**8):08d}"
            city, zip_code, region, street = rng.choice(CITIES)
            birth = datetime(1955, 1, 1) + timedelta(days=rng.randrange(0, 16000))
            body = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
            people.append(
                {
                    "name": name,
                    "phone": phone,
                    # GB 11643 check digit (stdnum reads the first 17 digits).
                    "id_number": body + ric.calc_check_digit(body + "0"),
                    "region": region,
                }
            )
            vals_list.append(
                {
                    "name": name,
                    "mobile": phone,
                    "street": street.format(n=rng.randrange(1, 400)),
                    "city": city,
                    "zip": zip_code,
                    "state_id": self.ref("base.state_cn_GD").id,
                    "country_id": self.ref("base.cn").id,
                }
            )
        partners = (
            self.env["res.partner"]
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(vals_list)
        )
        for person, partner in zip(people, partners, strict=True):
            person["partner"] = partner
        return people

    def _case(self, key, channel, fate, received, person):
        rng = self.rng
        _weight, lines, texts, demand, solution, conclusion, _remedy = TYPES[key]
        line = rng.choices(list(lines), list(lines.values()))[0]
        title, description = rng.choice(texts)
        regulator = channel == "regulator"
        severity, urgency = "general", "normal"
        if regulator or (key == "fault_repair_broadband_down" and rng.random() < 0.4):
            severity, urgency = "serious", "urgent"
        handler = (
            self.supervisor if key in SUPERVISOR_TYPES else rng.choice(self.handlers)
        )
        service = person["phone"]
        if line == "broadband":
            service = f"KD{person['region']}{person['phone'][-6:]}"
        elif line == "fixed":
            service = f"020{person['phone'][-8:]}"
        case = {
            "key": key,
            "fate": fate,
            "received": received,
            "handler": handler,
            "conclusion": conclusion,
            "solution": solution,
            "vals": {
                "kind": "complaint",
                "name": title,
                "description": f"<p>{description}</p>",
                "team_id": self.team.id,
                "partner_id": person["partner"].id,
                "partner_name": person["name"],
                "contact_phone": person["phone"],
                "service_number": service,
                "account_number": f"GD{person['region']}{person['phone'][-6:]}",
                "id_document_type": "resident_id",
                "id_number": person["id_number"],
                "business_line": line,
                "category_id": self.types[key].id,
                "channel_id": self.channels[channel].id,
                "severity": severity,
                "urgency": urgency,
                "customer_demand": demand,
                "received_date": received,
                "issue_date": (received - timedelta(days=rng.randrange(1, 25))).date(),
                "first_responder_id": handler.id,
                "user_id": handler.id,
            },
        }
        if fate == "refuse" and not regulator:
            self._plan_refusal(case)
        else:
            self._plan_handling(case, regulator)
        return case

    def _plan_refusal(self, case):
        rng = self.rng
        if self.types[case["key"]].billing_dispute and rng.random() < 0.4:
            reason = "time_barred"
            months = self.company.complaint_billing_time_bar_months + 1
            case["vals"]["issue_date"] = (
                case["received"] - relativedelta(months=months, days=10)
            ).date()
        else:
            reason = rng.choices(["outside_scope", "no_contact"], [7, 3])[0]
        case["refuse"] = reason
        case["at"] = self._cut(
            {
                "create": case["received"] + timedelta(minutes=rng.randrange(1, 6)),
                "refuse": case["received"] + timedelta(minutes=rng.randrange(20, 240)),
            }
        )

    def _plan_org(self, case, regulator):
        """The partner organisation the complaint is handed to, if any."""
        if regulator or case["key"] in SUPERVISOR_TYPES:
            return None
        lineage = self.types[case["key"]]._complaint_lineage_ids()
        for name, org in self.orgs.items():
            agreement = org["agreement"]
            if (
                lineage & set(agreement.category_ids.ids)
                and case["received"].date() >= agreement.date_start
                and self.rng.random() < org["share"]
            ):
                return name
        return None

    def _plan_handling(self, case, regulator):
        rng = self.rng
        fate = case["fate"]
        org = self._plan_org(case, regulator)
        case["org"] = org
        if org:
            case["agent"] = rng.choice(self.orgs[org]["agents"])
            supervisor = self.orgs[org]["supervisor"]
            case["ack_by"] = (
                supervisor if supervisor and rng.random() < 0.25 else case["agent"]
            )
        if regulator and rng.random() < 0.5:
            case["escalate"] = "regulator_media"
        elif fate == "escalate":
            case["escalate"] = rng.choice(["management_legal", "group_risk"])
        remedy = TYPES[case["key"]][6]
        if remedy and rng.random() < remedy[1]:
            amount = rng.randrange(remedy[2], remedy[3] + 1, 5)
            case["remedy"] = (remedy[0], float(amount))
        if fate != "unreached":
            case["callback"] = self._callback(fate == "unsatisfied")
        if fate == "unsatisfied":
            case["callback2"] = self._callback(False, second=True)
        stall = None
        if (self.now - case["received"]).days < STALL_DAYS and rng.random() < 0.35:
            stall = rng.choices(["solution", "report", "cb"], [5, 3, 2])[0]
        case["at"] = self._cut(self._timeline(case, stall))

    def _callback(self, unsatisfied, second=False):
        rng = self.rng
        if unsatisfied:
            return {
                "reached": True,
                "satisfaction": rng.choice(["1", "2"]),
                "problem_solved": False,
                "comment": rng.choice(UNSATISFIED_COMMENTS),
            }
        weights = [25, 40, 35] if second else [58, 33, 9]
        satisfaction = rng.choices(["5", "4", "3"], weights)[0]
        return {
            "reached": True,
            "satisfaction": satisfaction,
            "problem_solved": True,
            "comment": rng.choice(
                UNSATISFIED_COMMENTS[:1] if satisfaction == "3" else SATISFIED_COMMENTS
            ),
        }

    def _timeline(self, case, stall):
        """{slot: datetime} of the steps of the complaint's story, in order.
        Its fate may miss a time limit (late contact, report or callback,
        slow handling); ``stall``: the step a recent complaint still waits
        for (it stays open)."""
        rng = self.rng
        fate = case["fate"]
        at = {}
        moment = case["received"]

        def step(slot, low, high):
            nonlocal moment
            moment += timedelta(seconds=round(rng.uniform(low, high) * 3600))
            at[slot] = moment

        at["create"] = moment + timedelta(minutes=rng.randrange(1, 6))
        step("accept", 0.1, 1.0)
        if case["org"]:
            step("handoff", 0.05, 0.5)
            step("ack", 0.05, 0.45)
            step("take", 0.02, 0.2)
        else:
            step("start", 0.02, 0.3)
        if rng.random() < 0.25:
            step("contact_fail", 0.3, 3)
        if fate == "late_contact":  # reached after the 24 hours
            moment = case["received"] + timedelta(
                minutes=rng.randrange(26 * 60, 40 * 60)
            )
            at["contact"] = moment
        else:
            step("contact", 0.3, 10)
        if rng.random() < 0.5:
            step("verify", 1, 20)
        if case.get("escalate"):
            step("escalate", 0.3, 3)
        if case.get("remedy"):
            step("remedy", 1, 30)
            if case["remedy"][1] > 50 and case["handler"] != self.supervisor:
                step("remedy_approve", 0.3, 3)
            step("solution", 0.2, 3)
        elif fate == "slow":  # closed after its working days
            step("solution", 24 * 9, 24 * 12)
        else:
            step("solution", 2, 40)
        if fate == "late_report":
            step("report", 4.5, 8)
        else:
            step("report", 0.3, 2.5)
        # The callback time limit runs from the first result to the callback
        # that ends it: failed attempts and a second round fit in it.
        if fate == "unreached":
            step("cb_fail1", 3, 12)
            step("cb_fail2", 3, 12)
            step("cb_fail3", 3, 12)
        elif fate == "late_callback":
            step("cb", 73, 90)
        elif fate == "unsatisfied":
            step("cb", 4, 20)
            step("solution2", 6, 24)
            step("report2", 0.3, 2)
            step("cb2", 4, 20)
        else:
            step("cb", 4, 50)
        step("close", 0.2, 3)
        if stall:
            at[stall] = self.now + timedelta(days=1)
        return at

    def _cut(self, at):
        """The story up to now: the steps still to come are left out."""
        limit = self.now - timedelta(minutes=30)
        kept = {}
        for slot in ("create", *SLOTS):
            if slot not in at:
                continue
            if at[slot] > limit:
                break
            kept[slot] = at[slot]
        return kept

    # ------------------------------------------------------------------
    # The process, step by step
    # ------------------------------------------------------------------

    def _create(self):
        """All the complaints in one batch, as an integration would record
        them: numbered in the month they came in, each dated a few minutes
        after it was received."""
        targets = {}

        def create():
            sequences = self.env["ir.sequence"]
            for case in self.cases:
                # The intake's sequence, in the month the complaint came in.
                case["vals"]["number"] = sequences.with_context(
                    ir_sequence_date=fields.Datetime.to_string(case["received"])
                ).next_by_code("complaint.ticket.sequence")
            tickets = self.env["helpdesk.ticket"].create(
                [case["vals"] for case in self.cases]
            )
            for case, ticket in zip(self.cases, tickets, strict=True):
                case["ticket"] = ticket
                targets[ticket.id] = case["at"]["create"]

        # ``targets`` is filled by the step, and read by the clock after it.
        self.clock.run(targets, create)

    def _actor(self, case, slot):
        if case.get("org") and slot in AGENT_SLOTS:
            return case["ack_by"] if slot == "ack" else case["agent"]
        if slot == "remedy_approve":
            return self.supervisor
        return case["ticket"].sudo().user_id or case["handler"]

    def _run_slot(self, slot):
        cases = [case for case in self.cases if slot in case["at"]]
        if not cases:
            return
        self._breach({case["ticket"].id: case["at"][slot] for case in cases})
        groups = defaultdict(list)
        for case in cases:
            key = (
                self._actor(case, slot),
                bool(case.get("org")) and slot in AGENT_SLOTS,
            )
            if slot == "handoff":
                key += (case["org"], case["at"][slot].isocalendar()[:2])
            groups[key].append(case)
        for (user, by_agent, *_rest), group in groups.items():
            targets = {case["ticket"].id: case["at"][slot] for case in group}
            self.clock.run(targets, self._step, slot, user, by_agent, group)

    def _step(self, slot, user, by_agent, cases):
        """Take ``slot`` as ``user`` (no superuser: the process checks his
        rights) for ``cases``: ``_agent_<step>`` on each hand-off for a
        partner organisation's agent, else ``_carrier_<step>`` on the batch
        (the step: the slot without its round or attempt number and callback
        prefix, cb_fail2 -> fail)."""
        env = self.env(user=user.id)
        tickets = env["helpdesk.ticket"].browse([case["ticket"].id for case in cases])
        name = slot.rstrip("0123456789")
        if by_agent:
            for case in cases:
                transfer = case["ticket"].sudo().transfer_id.with_env(env)
                getattr(self, f"_agent_{name.removeprefix('cb_')}")(
                    transfer, case, slot
                )
            return
        getattr(self, f"_carrier_{name.removeprefix('cb_')}")(env, tickets, cases, slot)

    # --- the carrier's handlers -----------------------------------------

    def _carrier_refuse(self, env, tickets, cases, slot):
        for case in cases:
            reason = case["refuse"]
            env["complaint.refuse.wizard"].create(
                {
                    "ticket_id": case["ticket"].id,
                    "reason_id": self.reasons[reason].id,
                    "explanation": REFUSALS[reason],
                }
            ).action_refuse()

    def _carrier_accept(self, env, tickets, cases, slot):
        tickets.action_complaint_accept()

    def _carrier_start(self, env, tickets, cases, slot):
        tickets.action_complaint_start()

    def _carrier_handoff(self, env, tickets, cases, slot):
        org = self.orgs[cases[0]["org"]]
        env["complaint.transfer"]._hand_off(
            tickets,
            org["agreement"].with_env(env),
            note="请尽快联系客户核实情况，按协议时限反馈处理方案。",
        )

    def _log_vals(self, slot):
        if slot == "contact_fail":
            return {
                "log_type": "contact",
                "contact_result": self.rng.choice(["no_answer", "busy"]),
                "description": "致电客户未接通，已发送短信告知稍后再次联系。",
            }
        if slot == "contact":
            return {
                "log_type": "contact",
                "contact_result": "reached",
                "description": "电话联系客户，确认投诉内容，"
                "告知处理流程和预计答复时间。",
            }
        return {
            "log_type": "verification",
            "description": "查询业务办理、订购和计费记录，核实客户反映的情况。",
        }

    def _carrier_contact(self, env, tickets, cases, slot):
        env["complaint.handling.log"].create(
            [
                {
                    "ticket_id": case["ticket"].id,
                    "date": case["at"][slot],
                    **self._log_vals(slot),
                }
                for case in cases
            ]
        )

    _carrier_contact_fail = _carrier_contact
    _carrier_verify = _carrier_contact

    def _carrier_escalate(self, env, tickets, cases, slot):
        for ticket, case in zip(tickets, cases, strict=True):
            env["complaint.escalate.wizard"].create(
                {
                    "ticket_id": ticket.id,
                    "to_level": str(min(3, int(ticket.escalation_level) + 1)),
                    "reason": case["escalate"],
                    "note": ESCALATIONS[case["escalate"]],
                }
            ).action_escalate()

    def _carrier_solution(self, env, tickets, cases, slot):
        for case in cases:
            tickets.browse(case["ticket"].id).write(
                {"solution_measures": self._measures(case, slot)}
            )
        tickets.action_complaint_confirm_solution()

    def _measures(self, case, slot):
        if slot == "solution2":
            return case["solution"] + "（二次处理：主管督办，补充沟通并提高补偿标准。）"
        return case["solution"]

    def _carrier_remedy(self, env, tickets, cases, slot):
        remedies = env["complaint.remedy"].create(
            [
                {
                    "ticket_id": case["ticket"].id,
                    "remedy_type": case["remedy"][0],
                    "amount": case["remedy"][1],
                    "currency_id": self.company.currency_id.id,
                    "description": "{solution}（补偿{amount:.0f}元）".format(
                        solution=case["solution"], amount=case["remedy"][1]
                    ),
                }
                for case in cases
            ]
        )
        remedies.action_submit()

    def _carrier_remedy_approve(self, env, tickets, cases, slot):
        tickets.remedy_ids.filtered(lambda r: r.state == "pending").action_approve()

    def _feedback_vals(self, case, slot):
        return {
            "channel": "phone",
            "conclusion": case["conclusion"],
            "basis": "业务办理记录、计费详单及现场核查结果。",
            "plan": self._measures(case, slot),
            "execution": "已按方案执行完毕。",
        }

    def _carrier_report(self, env, tickets, cases, slot):
        env["complaint.feedback"].create(
            [
                {
                    "ticket_id": case["ticket"].id,
                    "date": case["at"][slot] - timedelta(minutes=5),
                    **self._feedback_vals(case, slot),
                }
                for case in cases
            ]
        )
        tickets.action_complaint_mark_implemented()
        tickets.action_complaint_report_result()

    def _callback_vals(self, case, slot):
        if slot.startswith("cb_fail"):
            return {"reached": False, "satisfaction": False, "problem_solved": False}
        return case["callback2" if slot == "cb2" else "callback"]

    def _carrier_fail(self, env, tickets, cases, slot):
        env["complaint.callback"].create(
            [
                {
                    "ticket_id": case["ticket"].id,
                    "date": case["at"][slot],
                    **self._callback_vals(case, slot),
                }
                for case in cases
            ]
        )

    _carrier_cb = _carrier_fail

    def _carrier_close(self, env, tickets, cases, slot):
        tickets.action_complaint_close()

    # --- the partner organisations' agents ------------------------------

    def _agent_ack(self, transfer, case, slot):
        transfer.action_acknowledge()

    def _agent_take(self, transfer, case, slot):
        transfer.action_take()

    def _agent_contact(self, transfer, case, slot):
        transfer.action_add_log(self._log_vals(slot))

    _agent_contact_fail = _agent_contact
    _agent_verify = _agent_contact

    def _agent_solution(self, transfer, case, slot):
        transfer.action_propose_solution(self._measures(case, slot))
        transfer.action_confirm_solution()

    def _agent_report(self, transfer, case, slot):
        transfer.action_report_result(self._feedback_vals(case, slot))

    def _agent_fail(self, transfer, case, slot):
        transfer.action_record_callback(self._callback_vals(case, slot))

    _agent_cb = _agent_fail

    # ------------------------------------------------------------------
    # Time limits
    # ------------------------------------------------------------------

    def _breach(self, due):
        """Breach, with the deadline job's own code, the running time limits
        of the complaints of ``due`` ({complaint id: time of its next step})
        whose deadline comes before that time; dated at the deadline."""
        lines = (
            self.env["complaint.sla.line"]
            .sudo()
            .search(
                [
                    ("ticket_id", "in", list(due)),
                    ("status", "=", "running"),
                    ("breach_done", "=", False),
                    ("deadline", "!=", False),
                ]
            )
            .filtered(lambda line: line.deadline < due[line.ticket_id.id])
        )
        if not lines:
            return
        targets = {}
        for ticket, late in lines.grouped("ticket_id").items():
            first = min(late.mapped("deadline"))
            targets[ticket.id] = first + min(
                timedelta(minutes=5), (due[ticket.id] - first) / 2
            )
        lang = self.company._complaint_lang()
        self.clock.run(
            targets,
            lines.with_context(lang=lang)._sla_process_due,
            fields.Datetime.now(),
        )

    def _measure_time_limits(self, tickets):
        """The met time limits measured on the dates of the story: met or met
        late, minutes late (recomputed), time taken; the complaints' SLA state
        follows."""
        lines = (
            self.env["complaint.sla.line"]
            .sudo()
            .search(
                [
                    ("ticket_id", "in", tickets.ids),
                    ("status", "in", ("met", "met_late")),
                    ("start_date", "!=", False),
                ]
            )
        )
        work = lines._sla_work_minutes(
            [(line, line.start_date, line.met_date) for line in lines]
        )
        for line, worked in zip(lines, work, strict=True):
            late = bool(line.deadline and line.met_date > line.deadline)
            vals = {
                "status": "met_late" if late else "met",
                "met_date": line.met_date,
                "elapsed_minutes": max(
                    (line.met_date - line.start_date).total_seconds() / 60
                    - line.paused_minutes,
                    0,
                ),
            }
            if worked is not None:
                vals.update(line._sla_work_vals(worked - line.paused_work_minutes))
            line._sla_write(vals)
        ticket_model = self.env["helpdesk.ticket"]
        self.env.add_to_compute(ticket_model._fields["sla_state"], tickets)
        self.env.add_to_compute(ticket_model._fields["sla_deadline"], tickets)
        self.env.flush_all()

    def _align_log_dates(self, tickets):
        """Rows last written outside the slices (the time limits measured
        again, the chatter's own rows) keep the transaction's time: dated with
        what they record."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE helpdesk_ticket
                   SET write_date = GREATEST(received_date, last_stage_update,
                                             closed_date)
                 WHERE id IN %(ids)s AND write_date = %(tx)s;
                UPDATE complaint_sla_line
                   SET write_date = GREATEST(create_date, start_date, met_date,
                                             pause_start)
                 WHERE ticket_id IN %(ids)s AND write_date = %(tx)s;
                UPDATE mail_message
                   SET create_date = date, write_date = date
                 WHERE model = 'helpdesk.ticket' AND res_id IN %(ids)s;
                UPDATE mail_tracking_value AS v
                   SET create_date = m.date, write_date = m.date
                  FROM mail_message AS m
                 WHERE v.mail_message_id = m.id
                   AND m.model = 'helpdesk.ticket' AND m.res_id IN %(ids)s;
                UPDATE mail_notification AS n
                   SET read_date = m.date
                  FROM mail_message AS m
                 WHERE n.mail_message_id = m.id AND n.read_date IS NOT NULL
                   AND ((m.model = 'helpdesk.ticket' AND m.res_id IN %(ids)s)
                        OR (m.model = 'complaint.remedy' AND m.res_id IN (
                            SELECT id FROM complaint_remedy
                             WHERE ticket_id IN %(ids)s)))
                """,
                ids=tuple(tickets.ids),
                tx=self.clock.tx,
            )
        )
        self.env.invalidate_all()
