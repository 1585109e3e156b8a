"""Whether a statement asks for something a product does, and how sure the matcher is.

A shared word is not a need: “想找个施工队把监控室重新翻修一下” shares 监控 with 千里眼 and asks for a
builder. So a link from a statement to a product needs *evidence*: the statement names a
communication or information need (calling, messaging, connecting sites, data from devices, video,
locating, approving, ordering, …; :data:`NEEDS`, one table of what an operator's products do), and
the product's own phrasings cover that same kind of need. Lexical closeness (the score) says which
product; the evidence says whether any should be claimed at all. This generalises to topics no one
listed, because it asks what the statement wants, not whether it resembles a known non-need.

Signs that a statement asks for something else: it names a matter an operator does not handle
(:data:`MATTERS`: 贷款, 官司, 政策, 装修 …), and then a link needs two need words instead of one (in
the ask itself when the ask names the matter); it asks for a job done by hand (:data:`JOBS`: 上门修,
清洗, 收运, 配餐, 印刷, 定做, 翻译, 代办, 报关 …, whatever channel it mentions in passing: 打个电话就能上门修;
not when the word names the client's staff, 保洁员, or what a reminder is about, 提醒他清洗)
or for a telecom need the catalog has no product for (:data:`GAPS`: coverage at a site, push-to-talk,
hosting, fax; :data:`MOVING`: mobile data on the move, where what is carried is no evidence either;
:data:`NOWHERE`: phones abroad, strangers nearby, paying by phone, counting visitors, someone else's
identity or numbers: no need word is), and
then it is treated as a matter, and for a gap network words are no evidence (unless the ask after it
is for a wired line or plain mobile calls, :data:`WIRED`); it seeks a
third party (:data:`SEEKS`: 找/请/招 … 公司, 师傅, 专家, 供应商, 厂 …), and then a link is 待确认 at most
and needs two need words unless its phrasing is as close as a clear link's (请专家远程会诊 is a need,
找一家长期供货的厂家，电话下单 is not), and if it gives that party a job
(:data:`DELEGATES`: 找家公司帮我们…), the job must name two need words; its ask (想…, 希望…) names no
need, and then the rest must name one kind of need twice, or a phrasing be very close. What others
did or asked is not the client's ask: calls an outsider made to report something (:data:`REPORTED`) are
no calling need unless they are a burden (:data:`BURDEN`), a question the callers asked (打电话问…能不能停车)
holds no ask, customers doing it on their own phones (:data:`SELF_SERVE`) is a consumer app no product
is, and a kind of equipment asked for (想装那种…) is a purchase, treated as a job. A matter word naming the
client's people (审计的同事) or what a message tells (报税截止前要提醒…) is no matter; after “已经…，但…” the
statement is read from the contrast when that part names a need (:meth:`Judge.focus`); an ask to replace what
people hear or see (听到的是一段歌，想换成…) is about the clause before. A statement with two asks (…；另外…)
is judged ask by ask (:meth:`Judge.asks`); a matter word naming who, where or when (纳税人, 办税大厅, 申报期)
is no matter; not knowing whether something is so (有没有进人…完全不知道: :data:`WATCH`) is a need of its
own; software hooked up to software (:data:`INTEGRATION`) is work no product does.

Levels, for a manager: 明确 (a clear need, a close phrasing), 待确认 (plausible: ask the client first),
无 (nothing answers it; the statement goes verbatim to ``unmatched_needs``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from .text import STOP_GRAMS, CueFinder, normalize
from .text import contains as _cue_in

CLEAR = "明确"
TO_CONFIRM = "待确认"
NONE = "无"
LEVELS = (CLEAR, TO_CONFIRM, NONE)

# Kind of need -> (what a manager reads, the words clients use for it, what to ask the client when
# a link of this kind is to be confirmed). `*` stands for up to 8
# characters (see text.contains). Generic words (客户, 公司, 管理, 系统, 手机 alone) are not here on
# purpose: they occur in needs and non-needs alike.
NEEDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "call": ("电话沟通", (
        "电话", "打手机", "手机费", "通话", "话费", "通讯费", "短号", "座机", "固话", "总机", "分机", "转接",
        "占线", "接听", "来电", "接电话", "传错话", "转告", "拨打", "号码", "热线", "打进来", "打不进", "打不通", "没人接", "漏接", "接通",
        "彩铃", "铃声", "嘟嘟", "等待音", "等的时候", "挂机", "打过来", "打给", "回拨", "联络", "互相打", "手机打", "对讲机", "有人接",
        "转不过去", "打哪个", "语音提示", "语音导航", "手机呼", "用手机呼", "爆线", "线就爆", "打爆",
        "私人号", "私人手机", "内部打", "按1", "按2", "按3", "按0", "按9",
        "转到*客服", "转去*客服", "转到*总部", "转去*总部", "转到*值班", "转去*值班", "转到*前台", "转去*前台", "让*听到", "听到的是", "听到*歌", "一段歌", "放*歌", "一听就知道", "转不通", "转到*手机", "转去*手机", "接不过来", "接不完", "打得便宜", "打*便宜", "号*跟着走", "号*带走", "号*一起走", "换人就换号", "换号", "自己手机", "自己的手机",
        "打到爆", "拨不进", "拨不通", "拨来拨去", "一条电话", "一部电话", "一部座机", "一个电话号", "内线", "联系不上", "联系不到", "没人听", "没有人听", "叫不到人", "按键", "转到*部", "转到*科", "转到*台"),
        "这件事主要靠电话联系吗？大约涉及多少部电话、多少人？"),
    "message": ("短信通知", (
        "短信", "通知", "提醒", "群发", "消息", "告知", "验证码", "发给", "推送", "告诉大家", "回复", "手机报",
        "发一条", "发条", "收到", "告诉", "通知到", "提前一天", "让*知道", "没看到", "告警", "自动报警", "报警短信", "就报警", "报警提醒", "预警",
        "催缴", "到账*通知", "跟他们讲", "跟大家讲", "跟*讲明", "跟*讲一声", "跟*说一声", "提前跟", "提前和", "说一声", "通报", "发到*手机", "推到", "推给", "及时知道", "发个信息", "叫他来",
        "都知道", "口头传达", "一个个说", "一个个*去说", "一个个打电话", "一个一个打电话", "挨个打电话", "逐个打电话", "跟*客户讲", "跟*客户说", "跟*客人讲", "跟*客人说", "一个一个讲", "一个一个说", "一个一个通知", "一个个讲", "挨个讲", "挨个说", "挨个通知", "有人知", "没看见", "问候", "发*信息", "彩信", "图文", "带图", "有图片", "明信片", "寄信", "自动发", "马上响", "立刻响", "就响", "响起来", "跑来问", "跑一趟来问", "都来问", "老来问", "总来问"),
        "这些通知是人工在电脑上群发，还是希望从现有业务系统里自动发出？每月大约发多少条？"),
    "network": ("网络连接", (
        "网络", "网速", "上网", "宽带", "专线", "内网", "联网", "连网", "连起来", "带宽", "掉线", "断网", "wifi",
        "信号", "外网", "互联网", "公网", "ip", "机房", "数据中心", "服务器", "线路", "连回", "固定地址", "固定ip", "打不开", "连成", "互联互通", "专网",
        "物联网卡", "流量卡", "一条线", "备一条", "拉线", "拉网", "网一断", "网一卡", "线一断", "一断", "挖断", "断网",
        "连总", "连到", "连*系统", "稳定的线", "传大文件", "互通", "走公网", "热点", "连不上", "连不通", "没有网", "没网",
        "下不下来", "下载", "来回拷", "硬盘*拷", "之间*传", "专用通道", "通道*不能断", "网*就卡", "网*老是卡", "网很卡", "网太卡",
        "传不回", "发不回", "传不过去", "就断", "老是断", "天两头断", "网是", "网*够快", "网*够稳", "网要",
        "线断了", "备着", "再有一条", "再来一条", "离线", "跟外面隔", "和外面隔", "跟外网隔", "隔开", "隔离",
        "u盘", "移动硬盘", "拷过去", "抄过去", "文件*太大", "档案*大", "大文件",
        "条网", "网*断了", "网好慢", "网很慢", "网太慢", "网速慢", "网慢", "网又慢", "网络通道", "单独*通道", "拉一条",
        "网经常断", "网总是断", "网老断", "网常断", "网动不动", "网时不时", "时有时无", "时断时续", "时好时坏", "网一抖", "网抖",
        "传不上", "传不动", "几个g", "几十g", "几百兆", "上百兆", "拷半天", "要拷", "延时", "时延", "延迟", "上传不了", "传得很慢", "传得慢", "才能传完", "传完", "传半天", "传好久", "传一晚上", "连个*网", "像样的网"),
        "需要连起来的有几个地点？现在用的是什么网络、带宽大约多少？"),
    "data": ("数据采集与定位", (
        "数据", "传感器", "仪表", "读数", "采集", "上传", "回传", "传回", "传到", "传上", "终端", "刷卡", "扫码",
        "手持", "定位", "位置", "到哪", "轨迹", "设备运行", "运行状态", "监测", "抄表", "水表", "电表",
        "温度", "湿度", "pos", "开单", "实时", "故障", "停机", "异常", "超限",
        "超重", "没人守", "没人值守", "在哪", "在哪里", "哪条路", "路线", "开多快", "车速", "超速", "跳闸", "停电", "断电",
        "录系统", "录进", "再录", "录入", "一键呼叫", "呼叫", "摔倒", "走失", "开机率", "危险区域", "传过来", "记下来", "有没有上",
        "读数", "血压", "血糖", "水温", "水质", "溶氧", "缺氧", "水位", "液位", "压力", "墒情", "缺水", "自动测", "自己测", "测着", "随时能查", "能查到", "才知道", "才发现", "抄到", "再抄", "拿本子", "远程控制", "远程开", "遥控", "送到", "马上报警", "超*报警", "冷柜", "冰箱",
        "跑去", "去过", "跑到哪", "到了没有", "安不安全", "漏水", "漏气", "泄漏", "哪里漏", "一停就", "一停", "困人",
        "到校", "离校", "出*校门", "进*校门", "到没到", "到家了", "到家没", "回到家", "安全到家", "到了家", "浇水", "干不干", "地干了", "人*去看", "人*去量", "人*去摸",
        "移位", "变形", "超载", "一直盯着", "没人知道", "转没转", "正不正常",
        "每天去", "每小时去", "隔*去看", "去量", "去听", "心里有数", "守着看", "看表", "到了哪", "一台台", "走过去看", "有没有在开", "开没开", "在不在开", "计数器", "一个个*去看", "全靠*去看", "有几干", "几干",
        "回寝室", "回宿舍", "进宿舍", "按时回", "尺子量", "爬上去看", "爬上去量",
        "是干是湿", "干是湿", "淋水", "坐在*就知道", "在家里就知道", "浸水", "进水", "水浸", "被淹", "漏得", "在漏",
        "到站", "报站", "心电图", "先看到", "提前看到", "上去抄", "去抄", "当场填", "现场填", "再敲", "敲一遍", "发了多少电",
        "签单", "投保单", "回*扫描", "烟感", "火警", "冻库", "报上来", "自动报", "哪里坏了", "坏了*知道",
        "工时", "干了*小时", "开了*小时", "干了多久", "开了多久", "开机多久", "停了多久", "运行了多久",
        "上车下车", "上下车", "上没上车", "下没下车", "上了车", "下了车", "跑没跑", "跑完", "有没有跑", "按*路线",
        "哪个坏", "哪台坏", "哪个在用", "超标", "了去哪", "开去哪", "开到哪", "手抄", "手机上*控制", "统一关", "远程关", "关没关", "忘了关", "一键关",
        "用多少", "用量", "用电量", "用水量", "用气量", "耗电", "耗水", "耗气", "用掉多少", "多少度电", "多少方",
        "走丢", "跑丢", "自己走出", "走出*门", "跑出去", "找了*小时", "找了半天", "找了好久", "到处找",
        "过线", "热过头", "冷过头", "一高就", "一低就", "掉下来", "车开去", "私活", "公车私用", "做了多少", "产量", "多少件", "多少模", "自己报", "靠*报数",
        "浓度", "氨气", "有害气体", "一氧化碳", "二氧化碳", "甲醛", "粉尘", "鼻子闻", "凭*闻", "靠估", "凭感觉", "凭经验",
        "多少下", "空转", "哪部坏", "哪一部坏", "带个设备", "带台设备", "带着设备", "现场就能办", "现场办", "当场办",
        "设备自己", "设备自动", "派人去测", "去测", "测不了", "沉降", "送没送到", "送到没", "到了没", "在家里就开", "在家就开", "卡顿", "一卡一卡", "去了哪", "去哪了", "才有人报", "才有人说", "才有人发现", "才被发现", "才晓得", "溢出", "去不了看", "自己上传", "自动上传", "自己传", "自动传", "用了*小时", "接入系统", "接进系统",
        "远程操控", "远程操作", "开着没人", "一直开着", "开着没关", "坐上", "有没有上车", "坐没坐", "手机上一按", "一按就行", "按一下就行"),
        "这些设备或车辆现在有没有联网、有没有数据接口？数据要传到哪个系统？"),
    "video": ("视频与监控", (
        "视频", "监控", "摄像", "画面", "录像", "回放", "远程看", "远程查看", "直播", "看店", "看到现场",
        "看现场", "里面的情况", "现场*情况", "里的情况", "就能看", "统一看", "随时看", "集中看", "能看到", "看得到",
        "也想看到", "明厨亮灶", "看着", "调看", "看看*在干什么", "在干什么", "在做什么", "录下来", "看不过来", "翻墙", "有人进来", "看看*有没有", "不知道*怎么样", "抽查", "能拍到", "拍得到",
        "打瞌睡", "疲劳驾驶", "玩手机", "盯住", "看得远", "看远", "看得清", "几个探头", "装*探头", "放*探头",
        "室*看到", "看得见", "瞄一", "有没有人进", "有人进去", "看到里面", "排多长", "多长的队", "队有多长", "人多不多", "挤不挤", "人太挤", "里面有没有人", "有没有人在",
        "有人*偷", "被偷", "偷走", "小偷", "丢货", "丢东西", "少了东西", "失窃", "被盗", "防盗", "谁拿的", "看*里*情况",
        "有没有人不", "看不到*现场", "有没有人去", "有没有人来", "老是少", "总是少", "经常少", "不见了", "丢失",
        "跑不过来", "有没有好好", "有没有认真", "偷懒", "违规", "违章", "站在*看", "一直*看着", "有没有按时", "翻进", "爬进", "溜进", "闯进", "有人乱", "乱倒", "偷倒", "乱扔", "乱丢", "乱停", "谁干的", "谁弄的", "谁刮的", "谁偷的", "查不出来", "找不到证据", "没有证据", "没证据", "留*证据"),
        "需要看的是哪些地方、大约几个点位？要不要录像回放？"),
    "meeting": ("远程会议", ("开会", "大会", "远程会诊", "会诊", "远程指导", "远程培训", "远程上课", "远程*课", "开*会议", "视频会议", "远程会议", "电话会", "会议*远程", "例会", "培训会", "家长会",
                             "面对面", "线上*会", "开*会", "*会要*一起开", "一起开", "行务会", "经营会", "周会", "月会", "听*课", "同步*课", "碰*头", "见*面", "聚到一起", "凑到一起",
                             "工作会", "站会", "晨会", "连线", "线上开", "在线开", "网上开", "坐诊", "远程看病", "给*病人看", "看到人", "看得到人", "就能参加", "一起参加", "都参加", "不用都到", "不用*赶过来", "都跑到", "跑一趟", "来回跑",
                             "把会开", "会开了", "远程听", "跟着听", "在线听", "对着屏幕", "对着电脑", "碰一下", "碰一次", "碰稿", "电话会里",
                             "就参加", "一起备课", "集中到", "回公司开", "回总部开", "到*来开",
                             "调度会", "编前会", "协调会", "推进会", "开车赶", "赶来", "进来听", "隔着屏幕",
        "专程", "专门跑", "专门过来", "飞过来", "飞过去", "坐飞机过来", "不想*过来", "一来一回", "回*汇报", "在线一起", "远程一起", "一起在线", "一起碰", "赶不回", "赶不过来"),
        "一般多少人、在几个地方同时开会？多久开一次？"),
    "office": ("移动办公", (
        "审批", "签字", "签批", "批文件", "请假", "公文", "报销", "待办", "排班", "值班", "换班", "调班",
        "巡店", "巡检", "打卡", "签到", "考勤", "日报", "派单", "派给", "整改", "走流程", "会签", "用印", "盖章", "公告", "拍照", "审签", "审核", "签发", "批阅", "签名", "三审", "审完", "一个个签", "纸质表格", "纸质单",
        "作业票", "请款", "批不了", "批不到", "签不到", "就批不", "就签不", "签一张", "急件", "才能签", "签不了", "回*签", "任务", "谁接了", "派活", "分派", "不在就", "签收确认", "传阅", "纸质文件", "传一圈", "随时审", "审稿", "传稿", "签稿", "没人签", "上报", "拍了照", "填完", "巡检单",
        "全是纸", "都是纸", "纸的", "手写", "日志", "检查表", "报修单", "记录表",
        "点名", "写本子", "记本子", "记在本子", "经过*签", "谁压着", "卡在谁", "上没上班", "有没有上班", "来没来", "在不在岗", "在岗", "到岗", "脱岗", "离岗", "代签", "报工", "翻不到",
        "课表", "排课", "调课", "交接班", "交班", "轮着签", "挨个签", "层层签", "层层审", "一级级", "逐级", "转一圈", "级审", "级签", "层审", "公章", "找*批", "老板批", "领导批", "批完", "批下来", "批不下来", "个人签", "三方签", "几方签", "都要签", "轮流签", "经理批", "主管批", "主任批", "行长批", "校长批", "院长批", "局长批", "老板签", "领导签", "填单", "填表", "回到单位", "回单位才", "回公司才", "几点上班", "几点下班", "几点到", "几点走", "几点来", "几点收工", "几点开工", "几点返工"),
        "这类事情现在怎么走流程？希望在手机上处理的是哪几项？"),
    # not knowing whether something is so (店里有没有进人我完全不知道, 司机有没有按时休息，只能靠问): no word of its
    # own; found by WATCH, covered by a product about devices, video or stock
    "watch": ("想知道现场情况", (), "您想随时知道的是哪些情况？现在是靠什么了解的？"),
    "mobile": ("手机上处理", ("手机上", "在手机", "用手机", "app", "小程序", "线上"),
               "希望在手机上处理的是哪些事情？现在是怎么做的？"),
    "mail": ("邮件", ("邮件", "邮箱", "附件", "域名", "微信发不", "微信传不", "qq发不", "qq传不", "大附件"),
        "现在用的是什么邮箱？是否需要用单位自己的域名？"),
    "directory": ("通讯录", ("通讯录", "电话本", "电话表", "联系方式", "联系表", "找人", "翻微信群", "手机号",
                                "负责人*电话", "问一圈"),
        "大约多少人、几个部门的联系方式需要统一维护？"),
    "supply": ("订货与库存", (
        "订货", "报货", "要货", "库存", "存货", "剩多少", "多少货", "囤", "对账", "签收", "补货", "货单", "下单", "配送", "送了多少",
        "要了多少", "进销存", "缺料", "交期", "发货", "订单", "各店自己订", "要多少", "对不上", "报数", "盘点", "发料", "领料", "报*要的", "第二天要", "念给", "收了订单", "接了订单", "订单*抄"),
        "订货、送货和对账现在怎么记录？涉及几家门店、仓库或经销商？"),
    "marketing": ("客户营销", (
        "会员", "优惠券", "优惠", "积分", "回头客", "老顾客", "老客户", "老客人", "熟客", "复购", "断了联系", "名片",
        "企业形象", "广告语", "来电宣传"),
        "面向的是哪些客户、大约多少人？希望多久联系他们一次？"),
    "info": ("行业信息", ("行情", "收购价", "天气", "病虫害", "农技", "冰雹", "霜冻", "寒潮", "动账", "账户变动", "还款", "续保",
                         "到期", "盗刷", "持卡人", "理财", "进出账", "进账", "扣款", "余额", "价格表"),
        "需要及时告诉客户的是哪些信息？现在是怎么通知的？"),
}

_PARTY = ("公司|厂家|厂商|供应商|供货商|商家|客商|货主|买家|施工队|施工单位|承包商|分包|师傅|律师|法务|会计|专家|"
          "顾问|机构|事务所|主播|网红|老师|医生|护士|工人|司机|人手|人才|劳务|保安|保洁|代理|品牌|渠道|门路"
          "|团队|电工|厂(?![区里长])|报关行|回收站|飞防队|明星|演员|主持人|嘉宾|摄影师|编剧|讲师|模特|博主"
          # a partner or an intermediary in general (落地配合作方, 第三方, 中介): whoever it is, a party
          "|合作方|合作伙伴|第三方|中介"
          # someone to do it (找人帮, 找个人帮, 找个懂行的人帮)
          "|(?:(?<=[找请])|(?<=[找请]个)|(?<=[找请]一个)|(?<=的))人(?=帮|来|把|代|统一|做|给|查|修|弄|处理|算|看看)")
# The bills of lines and phones (网各拉各的…每个月对账对到头晕, 座机…话费单一大叠，财务对账): billing, which no
# product here answers; the phones and lines billed are no evidence either.
BILLS = r"(网|宽带|电话|话费|手机费|流量|通讯费|座机)[^。；！？;!?]{0,24}(对账|账单|发票|缴费|交费)"
# A matter an operator does not handle: a link then needs two need words.
MATTERS = re.compile(
    r"贷款|融资|利息|借钱|官司|律师|法律|诉讼|纠纷|仲裁|政策|补贴|补助|申报|认定|认证|资质|专利|商标|著作权|版权"
    r"|装修|翻新|翻修|改造|招聘|招生|招人|招工|缺人|保险|税|审计|租金|房租|评级|评审|培训课|授课|讲讲"
    r"|外包|战略|规划|发展方向|往哪个方向|转型|托管|机柜|猎头|会计|记账|账务"
    # the client's own rules and pay (报销制度, 绩效考核方案, 薪酬): management, not communication
    r"|制度|规章|章程|绩效|薪酬|规则"
    # advice asked (有没有人出出主意, 给点建议): someone's opinion, not a channel
    r"|出主意|出出主意|给点建议|提提建议|提点建议|支招|支支招|指点一下"
    r"|(?<![新])招(几|一批|两|三|些|个)|多招|保函|担保|备案|执照|年报|工商"
    # a theft or a dispute for the police or for compensation: what the cameras saw is no ask
    r"|警察|派出所|立案|赔钱|赔偿|索赔|起诉|(去|要|想)告(他|她|它|伊|对方)|手续"
    # the bills of lines and phones (网各拉各的…每个月对账对到头晕): billing, which no product here answers
    r"|" + BILLS +
    # powers handed down (把审批权限下放到镇里): an administrative reform, not a channel
    r"|权限下放|下放到|下放给|审批权")
# (A new switchboard, 换个新的总机 / 交换机, is what a hosted switchboard replaces: no purchase of a machine.)
# A job done by hand for the client (上门修, 清洗, 收运, 洗涤, 配餐, 印刷, 定做, 翻译, 代缴, 代办, 报关 …):
# the statement asks for a provider of that work, whatever channel it mentions in passing (打个电话就
#能上门修, 数量在手机上能对得上, 在网上把手续跑下来). Kinds of work, not topics: a link then needs two
# need words, as for a matter.
JOBS = re.compile(
    r"上门(修|维修|收|送|取|服务|打扫|清洗)|来修|修一下|修好|修理|维修(合同|单位|公司)|维保|(保养|年检|年审)(?![^，。；！？,;!?]{0,2}到期)|检修合同"
    r"|清洗|打扫|保洁|消杀|除虫|灭鼠|收运|回收|拉走|清运|洗涤|送洗|外洗|配餐|送餐|盒饭|承包"
    r"|印刷|印一批|印好|印上|定做|订做|定制一批|制作|配音|剪辑|翻译|代缴|代办|代发|代运营|代理记账|报关|清关|跑手续|手续跑"
    r"|开网店|带货|(拍|录|做|制作|剪)(一|个|一个|一部|部|条|一条|一段|段)?[^，。；！？,;!?的下像]{0,4}(宣传片|短视频|视频|广告片)(?!会|通话|监控|聊天)"
    r"|搬家|搬运|装修|刷漆|租摆|设计(?![院师部所])|换新的|换一批|换(一|几)?(台|部|套|个)[^，。；！？,;!?]{0,10}新的?[^，。；！？,;!?]{0,8}((?<!总)(?<!交换)机|柜|电视|电脑|设备|软件)|(买|上|装|做|开发|定制|弄)(一|一套|一个|个|套|块)?[^，。；！？,;!?]{0,10}(软件|机器人|app|客户端|网站|公众号)|重新布|办理|开发票|发票|安评|评估|检测(公司|机构|单位)"
    r"|(装|买|有没有|要|找)(个|台|套|一种)?(那种|这种)|就是[^，。；！？,;!?]{1,6}那种(?![^，。；！？,;!?]{0,2}(手机|电话|短信))"
    # old equipment replaced whole by a new system (想整套换成新的护理呼叫系统): a purchase
    r"|(整套|整个|全部|统一)?换成(新的|一套|新)[^，。；！？,;!?]{0,10}系统|换成[^，。；！？,;!?]{0,10}的[^，。；！？,;!?]{0,4}电话系统|(做|定|订|买|采购)一批|帮忙印|印[^，。；！？,;!?]{0,4}(二维码|店名|标志|校徽|logo)"
    r"|(请|雇|招)(几|一批|两|三|些|个)[^，。；！？,;!?]{0,4}(保安|工人|司机|护士|医生|老师|厨师|服务员|人)"
    # equipment supplied (你们能不能出方案出设备) or a room fitted out (想做个物联网的实训室): a purchase
    r"|出设备|供设备|卖设备|(做|建|搭|建设|装)(个|一个|一间|间|套)?[^，。；！？,;!?]{0,10}(实训室|实验室|实训基地|展厅)")
# A telecom need the catalog has no product for (coverage at a site, push-to-talk, fax): shares 信号,
# 电话, 手机 with many products, answered by none; a link then needs two need words, as for a matter.
# Phones that have no signal (信号差, 没信号, 剩一格, 无服务): one table, for GAPS and COVERAGE.
NO_SIGNAL = (r"基站|(?<!wifi)(?<!wifi的)(?<!无线)信号[^，。；！？,;!?]{0,3}(差|不好|弱|不稳|没有|覆盖|不行|时有时无|时好时坏|时断时续|一会有一会没)|(没有?|无|差|弱|一格)信号|信号覆盖|覆盖不到"
             r"|一格(信号|都没|都不|都冇)|剩一格|只有一格|无服务|没有服务|没服务")
GAPS = re.compile(NO_SIGNAL + r"|传真(号|机)|(收|发)传真|打不出去|(一按|按一下)就能?(讲|说|喊|通话|听到)|对讲(?!机信号)|放到[^，。；！？,;!?]{0,6}(机房|云上)|上云|云服务器|云主机"
                  r"|黑客|病毒|勒索|防火墙|攻击|入侵|被黑|中毒|(?<!不)识别|做(成|个|一个)[^，。；！？,;!?]{0,6}(大屏|报表|看板|图表)|备份|数据恢复|恢复(出来|回来|数据|资料)|(?<!新)装系统|重装"
                  # storing files online (cloud storage), an instrument writing into software beside it (a hook-up)
                  r"|(仪器|仪|设备|机器|机子)[^，。；！？,;!?]{0,10}(传进|导进|导入|读进|自动进|录进|对接到|对接进|接进)[^，。；！？,;!?]{0,6}(档案|软件|电脑|系统|病历|his|lis|erp)"
                  r"|(国外|境外|出国|海外)[^。；！？;!?]{0,12}(打不了|打不通|打不出|上不了网|没信号|用不了)|漫游"
                  # servers and websites kept in a cloud or moved (hosting: 服务器放在阿里云上, 网站想迁到…)
                  r"|(网站|服务器|主机|系统)[^，。；！？,;!?]{0,6}(放在|放到|托管在|部署在)[^，。；！？,;!?]{0,8}云"
                  r"|(网站|服务器|主机|系统)[^，。；！？,;!?]{0,6}(搬到|迁到|迁移到|迁移|搬迁)")
# A place where phones lose the network (地下室, 电梯, 海上, 钢结构车间, 村里 … then 打不通, 断线, 喊不应, 网不好): a
# coverage gap, whatever the place; what the calls carry is no evidence either.
COVERAGE = re.compile(r"(地下|车库|电梯|隧道|海上|海域|海里|船上|出海|山里|山上|山区|步道|林区|钢结构|铁皮|偏僻|角落|死角"
                      r"|村里|下乡|乡下|农村|野外)"
                      r"[^。；！？;!?]{0,16}(打不通|打不出|打不进|接不到|没信号|没有信号|断线|掉线|喊不应|听不到|联系不到|收不到|无服务|一格"
                      r"|网不好|网很差|网太差|网差|没网|没有网)"
                      r"|手机[^，。；！？,;!?]{0,3}(打不出|上不了网|没网|没有网)"
                      # going somewhere to get a signal (打电话要跑到山顶上, 要走到外面公路边)
                      r"|(跑到|走到|爬到|跑去|走去|站到|跑出|走出)[^，。；！？,;!?]{0,4}(山顶|山上|坡上|外面|路边|公路边|楼顶|顶楼|门口|窗边|高处)"
                      r"|" + NO_SIGNAL)
# Mobile data on the move (a reporter's hotspot, 4G at an outdoor event): no fixed site to connect,
# no product; what is carried (video, files, data) is no evidence either.
MOVING = re.compile(r"(在外面|户外|外场|外采|跑现场|出去跑|路上|高速|山里|野外)[^。；！？;!?]{0,24}(热点|4g|5g|流量)|手机流量"
                    r"|(热点|4g|5g|流量)[^。；！？;!?]{0,12}(在外面|户外|外场|山里|人多|人一多|一人多)"
                    r"|(4g|5g)[^。，；！？,;!?]{0,3}(就卡|很卡|太卡|卡得|就没了|不够用|不稳)"
                    r"|(户外|外场|野外|山上|山顶|山里|田里|地里|园里|园子里|果园|茶园|塘边|海上|船上|在外面|外出)[^，。；！？,;!?]{0,6}(直播|采访|开播)")
# Telecom needs no product here answers whatever they carry: reaching phones abroad or foreign numbers,
# strangers near a place (附近的人), paying with the phone (一碰就刷), counting people who come in,
# another operator's cards in the group (别家的卡加不进短号), someone else's identity, numbers or
# business (查机主是谁, 买业主的手机号码, 竞争对手卖了多少).
# Every need word is then no evidence.
NOWHERE = re.compile(r"(国外|境外|海外|出国|东南亚|越南|泰国|马来西亚|新加坡|印尼|菲律宾|柬埔寨|缅甸|老挝|日本|韩国|美国|欧洲|中东"
                     r"|非洲|澳门|香港|台湾)[^。；！？;!?]{0,12}(号码|手机号|那边也|当地也|也要能用|能不能用|用不了|发不过去|收不到|打不通)"
                     r"|(附近|周边|周围|路过|经过)[^，。；！？,;!?]{0,6}的(人|顾客|客人|游客|路人)|(手机|一)碰(一下)?就[^，。；！？,;!?]{0,6}(刷|付|进|开|坐车|乘车)|nfc|刷手机"
                     r"|(进来|进店|来了|进了|到店)(了)?(多少|几)(个)?人|客流统计|人流量统计|数人头|(客流|人流)[^，。；！？,;!?]{0,3}统计"
                     # short numbers with other operators' phones, calls from inside another app (钉钉里直接打电话)
                     r"|(联通|电信|广电|别家|别的运营商|其他运营商|外网)[^。；！？;!?]{0,20}(短号|v网|集团网)[^，。；！？,;!?]{0,8}(打不通|用不了|不能用|打不了|加不进|进不去)"
                     r"|(钉钉|企业微信|微信|飞书|qq)(里|里面|上)[^，。；！？,;!?]{0,4}(打电话|拨电话|拨号|打手机)"
                     # where the client's customers come from or linger (shopper analytics): not the client's to track
                     r"|(客人|顾客|游客|消费者|市民|观众|路人|行人|客流)[^，。；！？,;!?]{0,6}(从哪|从什么地方|哪里来|哪儿来|住在哪|住哪|住在什么|哪个小区|哪几个小区|待得|待了多久|停留|逛得|逛了)"
                     r"|(游客|客人|顾客|路人|行人)[^，。；！？,;!?]{0,4}(走到|来到|经过|路过|靠近)[^，。；！？,;!?]{0,8}(附近|周边|门口)"
                     r"|屏蔽[^，。；！？,;!?]{0,10}信号|信号屏蔽|屏蔽器|干扰器"
                     r"|(电话|通话|回访|来电|打的)[^，。；！？,;!?]{0,10}(录音|录下来|录不到)|录音留底|通话录音"
                     r"|(别家|别的运营商|其他运营商|其它运营商|外网|电信|联通|广电)的?(卡|号|手机)[^。；！？;!?]{0,8}(加不进|进不来|入不了|加不了|不能加)"
                     # other people's identity, numbers or business: not the client's to have
                     r"|(查|查出|查到|查一下|查清)[^，。；！？,;!?]{0,6}(机主|号主|身份|住址|住在哪|实名)"
                     r"|(查|查出|查到|查一下|查清)[^，。；！？,;!?]{0,16}(是谁的|是谁打|是哪个公司|是哪家公司|是什么人)|(机主|号主)(是谁|信息|身份)"
                     r"|(买|弄到|搞到|拿到)[^，。；！？,;!?]{0,12}(的|些|批|份)(手机号码|手机号|电话号码|号码|名单)|(用户|客户|机主)名单"
                     r"|(竞争对手|同行|对面那家|隔壁那家|别人家)[^。；！？;!?]{0,12}(多少|卖了|客人|顾客|生意|价格|数据|聊)"
                     r"|(隔壁|对面|邻居|别人|人家|别家|商场|物业)[^，。；！？,;!?]{0,6}的(监控|录像|摄像)"
                     # the client selling to the seller (你们移动有无挂历欲印？…帮我们介绍你们的采购部): the seller is the buyer
                     r"|(你们|贵公司|移动)(自己)?[^，。；！？?,;!]{0,6}((有没有|有无)[^，。；！？?,;!]{0,12}(要印|想印|要买|想买|要做|想做|要订|要采购)"
                     r"|(要不要|需不需要|用不用)[^，。；！？?,;!]{0,4}(采购|买|订|印|定做))"
                     r"|(介绍|引荐|对接|认识|推荐)[^，。；！？,;!?]{0,4}(你们|贵公司|移动)的?(采购|供应商|后勤|行政部)"
                     # everyone in an area, known to the client or not (那个片区的人都能收到; not 给那个片区的用户发短信)
                     r"|(片区|区域|一带|范围内|附近|周边)[^，。；！？,;!?]{0,6}的(所有)?(人|手机)(都|全)(能|可以|要)?收到")
# A wired line or plain mobile calls asked for (想换成稳定的线路, 想直接用手机呼她们): a gap named
# before the ask is why, not what is wanted.
WIRED = re.compile(r"专线|线路|宽带|光纤|拉[一条根]*线|稳定的线|用手机(呼|打|叫|联系)|手机(呼|打给)")
# A wire that cannot be pulled to a place (那几家店拉不了宽带, 屯子里拉线老难了): a wired line is then no answer,
# so the words naming the wire are no evidence (a wireless access may be); see Judge.judge.
NO_WIRE = re.compile(r"(拉不了|拉不到|拉不进|拉不上|没法拉|没办法拉|不好拉|拉不通|装不了|接不了|通不了)(宽带|网线|光纤|专线|线|网)"
                     r"|(宽带|网线|光纤|专线)[^，。；！？,;!?]{0,4}(拉不了|拉不到|拉不进|拉不过去|进不去|装不了|很难拉|难拉|拉不通)"
                     r"|拉线[^，。；！？,;!?]{0,3}(老难|很难|太难|难|麻烦)")
WIRE_WORDS = frozenset({"宽带", "专线", "线路", "拉线", "光纤", "拉一条", "一条线", "拉网", "条网", "稳定的线"})

# A third party sought (想请省城的专家远程会诊 may still be a need): a link then is 待确认 at most.
SEEKS = re.compile(rf"(找|请|招|聘|雇|换|介绍|推荐|认识|对接|引进|采购|买|有没有|哪里有|哪家)[^，。；！？,;!?]{{0,8}}?({_PARTY})"
                   rf"|({_PARTY})[^，。；！？,;!?]{{0,6}}?(?<!的)(介绍|推荐)"
                   # prices compared among suppliers (同几家供应商自动比价): purchasing, whatever tool does it
                   rf"|({_PARTY})[^，。；！？,;!?]{{0,8}}?(比价|询价|比比价|压价)"
                   # asking the seller whether it knows someone (你们认识不, 你哋有冇人识, 有没有熟人): an introduction,
                   # whoever is to be introduced
                   r"|(你们|你|贵公司)[^，。；！？,;!?]{0,3}(认识|认得|熟)(不|吗|嘛|么|没|的人)"
                   r"|(你们|你)?有没有(人|熟人)?(认识|认得|识)(?![别字])|有没有熟人|(帮|给)(我们|我)?(牵线|搭线|引荐|牵个线|搭个线)")


# A third party sought to do a job (找家公司帮我们拍…, 找个顾问指导一下): the job must name two needs.
DELEGATES = re.compile(rf"({SEEKS.pattern})[^，。；！？,;!?]{{0,3}}?(帮|来|给|做|指导|看看|把|处理|代)")

# A meeting that is what a notice is about (开会、收茶的通知要一家一家打电话): its words are no meeting need.
ANNOUNCED = re.compile(r"(开会|会议|大会|例会)[^，。；！？,;!?]{0,6}(通知|时间地点)|通知[^，。；！？,;!?]{0,4}(来开会|开会|开大会)")

# Calls an outsider makes to report or ask something (客人打电话来问过, 顾客打电话说找不到店, 学生打电话投诉):
# the present channel, told as what happened, is no calling need unless the calls are a burden (接不过来,
# 占线, 没人接 …: then a switchboard may answer). What the calls are about may still be a need (到哪了, 让…知道).
REPORTED = re.compile(r"(客人|顾客|客户|学生|家长|市民|游客|用户|病人|患者|住户|居民|村民|车主|业主|家属|乘客|会员|群众|老百姓|消费者)"
                      r"[^，。；！？,;!?]{0,8}?打(个|了)?电话")
BURDEN = re.compile(r"接不过来|接不完|接不住|接不了|占线|没人接|没有人接|打不进|打不通|一直响|没人管|转了|转来转去|转给|漏接|爆线|打爆"
                    r"|一天[^，。；！？,;!?]{0,4}接|接通|听到|打到|接[^，。；！？,;!?]{0,3}(几十|几百|上百|一两百|好多|很多)个|忙不过来|没空接|接电话"
                    # the caller cannot reach the right person (总找不到负责的护工, 找来找去)
                    r"|找不[到着][^，。；！？,;!?]{0,8}(人|医生|护士|护工|老师|师傅|同事|负责|经理)|找来找去|拨不进|拨不通|拨来拨去")
# Calls named as the only way it is done now (调度只能一台台打给司机问, 全靠打电话催): the present channel, no calling
# need, unless the calls are a burden or cost too much.
WORKAROUND = re.compile(r"(只能|只好|全靠|都靠|靠)[^，。；！？,;!?]{0,8}?(打电话|打给|打过去|电话)[^，。；！？,;!?]{0,8}?(问|催|通知|确认|核对|联系|说)")
CALL_COST = re.compile(r"话费|电话费|手机费|通讯费|贵|费用|花钱|省钱")
# Customers doing it themselves on their own phones (让市民在手机上自己订、自己付, 顾客一扫就知道是哪个养殖场的):
# a consumer app or a code on the goods, which no product here is; no need word is evidence.
SELF_SERVE = re.compile(r"(顾客|客人|市民|游客|用户|消费者|买家|家长|患者|病人|住户|会员|他们)[^，。；！？,;!?]{0,8}"
              r"(自己[^，。；！？,;!?]{0,5}?(订|约|付|买|查|选|点|下单|预约|缴|报名|登记|挂号|填)|一扫|扫一下|扫一扫|扫码就)")

# Where a statement turns to a second ask: a semicolon, or 另外 / 此外 / 还有就是 (仲有 reads 还有).
_ANOTHER = re.compile(r"[；;]\s*(?:另外|此外|还有|同时)?|[，,。]?\s*(?:另外|此外|还有就是|另一个是)")

# What a client already has, said before a contrast (师傅之间打短号已经免费，但系对外…): see Judge.focus.
_SETTLED = re.compile(r"^[^。；！？;!?]*?已经[^。；！？;!?]*?[，,](但是|但系|但|可是|不过|只是)")

# A fallback after a first ask (…来修一下，不行就换个新的): what the client will settle for.
_FALLBACK = re.compile(r"[，,](不行就|不行的话|要不就|要不然就?|实在不行|再不行|修不好就)")

# Calls reporting an incident (用户打电话报爆管、报水质): what is reported is what the calls carry, not data to collect.
_REPORTS = re.compile(r"(打电话|打进来|来电)(来|过来)?报[^，。；！？,;!?]{0,12}")

# Where a statement says what it asks for: from the first of these to the end (想让同事之间拨短号…).
_ASK = re.compile(r"(?<![回不没理思感猜])想(?!不)|希望|打算|准备|要求|能不能|能否|需要")

# Not knowing whether something is so, told after the question (有没有进人我完全不知道, 车开得快不快，我们只能靠问)
# or before it (不知道司机有没有按时休息; not 不知道有没有这种办法, 不知道有没有人能帮忙: a request for a supplier).
UNKNOWING = ("没人知道", "不知道", "只能靠问", "靠问", "搞不清", "说不清", "不清楚", "都是听", "全靠听", "只能听")
WATCHED = ("data", "video", "supply")
SEEING = "看看有没有事"  # the need word shown for a wish to see whether something is so (想看下…有没有事)
_STATE = r"(有没有|是不是|在不在|开没开|关没关|到没到|上没上|送没送|[快慢多够满好][不没][快慢多够满好]|跑了几|去了几|送了几|到了几)"
_UNKNOWING = "(" + "|".join(UNKNOWING) + ")"
WATCH = re.compile(r"(?<![问])(看下|看一下|看一眼|瞄下|瞄一眼|看到|看得到|看看)[^，。；！？,;!?]{1,10}?(有没有事|有没有人|是不是有人|在不在|开没开|关没关|正不正常|有没有异常|怎么样)"
                   # a wish to know whether something happened (老板想知道是不是出事了)
                   r"|想(知道|了解|晓得)[^，。；！？,;!?]{0,6}?(是不是出事|出没出事|有没有出事|是不是出了|有没有事|安不安全|是不是坏|有没有坏|在不在)"
                   r"|" + _STATE + r"[^。；！？;!?]{1,16}?" + _UNKNOWING + r"(?![^，。；！？,;!?]{0,3}(找|去哪|怎么|如何|该|要|办|申请|联系|哪个部门))"
                   r"|" + _UNKNOWING + r"[^，。；！？,;!?]{1,8}?" + _STATE
                   + r"(?!这种|那种|什么|办法|人能|人可以|哪家|公司|平台|渠道|门路|政策|补贴)")

# Line words that mean a telephone line when a statement is about calls (热线一开…只有一个号码一条线).
PHONE_LINE = frozenset({"一条线", "线路", "线断了", "线一断", "拉线", "拉一条", "备一条", "再有一条", "再来一条"})

CLOSE = "与典型说法相近"  # the kind shown when only closeness, no need word, backs a link

SUPPORTING = {"mobile"}  # kinds that back up another kind of need, never evidence alone (many products have them)


class Confidence(NamedTuple):
    """How sure one statement→product link is, and why."""

    level: str                  # 明确 | 待确认 | 无
    score: float                # the link's lexical score (0 when nothing was close)
    evidence: tuple[str, ...]   # the need words of the statement the product covers
    kinds: tuple[str, ...]      # their kinds of need, as a manager reads them
    question: str | None = None  # for 待确认: what to ask the client, in words a client reads

    @property
    def clear(self) -> bool:
        return self.level == CLEAR


NO_CONFIDENCE = Confidence(NONE, 0.0, (), ())


class Judge:
    """The need words of statements, the kinds of need each product covers, and the level of a link."""

    CLEAR_SCORE = 0.30      # a link this close, with evidence, is 明确 ...
    CLEAR_EVIDENCE = 0.22   # ... and so is one this close with two or more need words
    ONE_WORD_MARGIN = 0.01  # a link on a single need word must clear the threshold by this much
    CLOSE_ALONE = 0.45      # with no need word, a link this close is 待确认 (no keyword trap came above 0.35)
    STRONG_WORDS = 3        # a statement naming this many need words a product covers ...
    STRONG_FLOOR = 0.085    # ... may link to it at this score (待确认 at most)
    COVER_SHARE = 0.06      # a product covers a kind of need named in at least this share of its texts

    def __init__(self, products):
        self.kind_of = {word: kind for kind, (_, words, _) in NEEDS.items() for word in words}
        self.finder = CueFinder(self.kind_of)
        for word in (*UNKNOWING, SEEING):  # found only by WATCH, never by the finder (built before)
            self.kind_of.setdefault(word, "watch")
        self._support = {w for w, k in self.kind_of.items() if k in SUPPORTING}
        self.products = products
        self.covers: dict[int, dict[str, int]] = {}  # product position -> kinds it covers -> its texts having it
        self._wireless: dict[int, bool] = {}  # product position -> whether it answers a wire that cannot be pulled

    def covered(self, pos: int) -> dict[str, int]:
        """The kinds of need product ``pos`` covers, found when first asked: a large catalog is not
        read through for products no statement comes near."""
        kinds = self.covers.get(pos)
        if kinds is None:
            p, counts = self.products[pos], Counter()
            texts = (*p.client_phrases, *p.keywords, p.summary)
            for text in texts:
                counts.update({self.kind_of[w] for w in self.finder.found(text)})
            # one mention among twenty phrasings is incidental; a kind the product is about recurs, in
            # a share of its texts (集团V网's “财政报销压力大” and one more do not make it a product for 压力表)
            least = max(2, self.COVER_SHARE * len(texts))
            kinds = self.covers[pos] = {k: n for k, n in counts.items() if n >= least}
            watched = [kinds[k] for k in WATCHED if k in kinds]
            if watched:
                kinds["watch"] = max(watched)
        return kinds

    def wireless(self, pos: int) -> bool:
        """Whether product ``pos`` answers a wire that cannot be pulled: one of its own phrasings says so
        (现场拉不了网线); for the others the words naming that wire are no evidence."""
        known = self._wireless.get(pos)
        if known is None:
            known = self._wireless[pos] = any(NO_WIRE.search(normalize(t)) for t in self.products[pos].client_phrases)
        return known

    def share(self, pos: int, words) -> float:
        """How much of product ``pos``'s texts are about the kinds of the need words ``words`` (as shown in
        a link's evidence, ``*`` written …): the share of its texts naming each kind, summed."""
        p, covered = self.products[pos], self.covered(pos)
        texts = len(p.client_phrases) + len(p.keywords) + 1
        kinds = {self.kind_of.get(w.replace("…", "*")) for w in words}
        return sum(covered.get(k, 0) for k in kinds if k) / texts

    def focus(self, statement: str) -> str:
        """The part of a statement that says what is wanted: after “已经…，但…” opening it, when that
        part names a need of its own (师傅之间打短号已经免费，但对外只有一条报修电话…); else all of it
        (已经在发短信提醒了，可是客户分不清… is about the reminders). A request for a job, a matter or a
        third party with a fallback after it (…你们有无师傅来修一下，不行就换个新的) asks for the fallback:
        that clause is left out."""
        fallback = _FALLBACK.search(statement)
        if fallback:
            start = max(statement.rfind("，", 0, fallback.start()), statement.rfind(",", 0, fallback.start())) + 1
            before = normalize(statement[start:fallback.start()])
            if _job(before) or _matter_named(before) or SEEKS.search(before):
                statement = statement[:start] + statement[fallback.start() + 1:]
        hit = _SETTLED.match(statement)
        if hit and self.heard(statement[hit.end():]) - self._support:
            return statement[hit.end():]
        return statement

    @staticmethod
    def asks(statement: str) -> list[str]:
        """The asks of a statement that makes two (…；另外…, …，此外…): each part that says enough on its
        own; the whole when there is one."""
        parts = [p.strip("，,。 ") for p in _ANOTHER.split(statement)]
        parts = [p for p in parts if len(p) >= 6]
        return parts if len(parts) > 1 else [statement]

    def needs(self, statement: str) -> list[str]:
        """The need words in a statement, longest first (a word inside a longer one found is dropped)."""
        found = self.heard(statement)
        told = REPORTED.search(statement)
        if told and not BURDEN.search(statement):  # 客人打电话来问过: the calls told are no need ...
            rest = self.heard(statement[:told.start()] + "，" + statement[told.end():])
            if not any(self.kind_of[w] == "call" for w in rest):  # ... unless the calls are talked of again
                found = {w for w in found if self.kind_of[w] != "call"}
        if WORKAROUND.search(statement) and not BURDEN.search(statement) and not CALL_COST.search(statement):
            found = {w for w in found if self.kind_of[w] != "call"}  # 调度只能一台台打给司机问: the calls are how it is done now
        for report in _REPORTS.finditer(statement):  # 打电话报爆管、报水质: the reports are no device data
            outside = self.heard(statement[:report.start()] + "，" + statement[report.end():])
            found = {w for w in found if self.kind_of[w] == "call" or w in outside}
        found |= self.watched(statement)
        calls = [w for w in found if self.kind_of[w] == "call"]
        if len(calls) >= 2 and not {w for w in found if self.kind_of[w] == "network"} - PHONE_LINE:
            found = {w for w in found if w not in PHONE_LINE}  # 只有一个号码一条线: a telephone line
        found = sorted(found, key=lambda w: (-len(w), w))
        if ANNOUNCED.search(normalize(statement)):  # 开会的通知: a notice about a meeting, no meeting to hold
            found = [w for w in found if self.kind_of[w] != "meeting"]
        kept: list[str] = []
        for w in found:
            if not any(w.replace("*", "") in k for k in kept):
                kept.append(w)
        return kept

    def ask_is_bare(self, statement: str) -> bool:
        """Whether the statement says what it asks for (想…, 希望…) with no need word in it: “门店监控
        拍到了小偷，想报警让警察来处理” mentions needs only in passing."""
        return self.asked(statement) == set()

    def asked(self, statement: str) -> set[str] | None:
        """The need words of what the statement asks for (from 想…, 希望… on); None if it says no ask."""
        hit = _ask(statement)
        if hit is None:
            return None
        start = hit.start()
        before = statement.rfind("，", 0, max(start - 1, 0)) + 1
        if _REPLACES.match(statement, hit.end()) and _PERCEIVED.search(statement, before, start):
            start = before  # 打进来听到的是一段歌，想换成…: what people get now is what the ask is about
        words = self.heard(statement[start:]) | self.watched(statement[start:])
        if not words and (CONVEYS.search(statement, start) or _REVISES.match(statement, hit.end())
                          or _CHEAPER.match(statement, hit.end()) or _SWITCHES.match(statement, hit.end())):
            # 油罐的液位…，想在总部一眼看到: an ask only to see, send, hear or reach names its object before it
            return self.heard(statement)
        return words

    def watched(self, text: str) -> set[str]:
        """有没有进人…完全不知道, 想看下…有没有事: a wish to know how things are, whatever the words for them."""
        watch = WATCH.search(normalize(text))
        if watch:
            word = next((w for w in UNKNOWING if w in watch.group(0)), SEEING)
            if self.kind_of[word] == "watch":
                return {word}
        return set()

    def heard(self, text: str) -> set[str]:
        """The need words of a client's text: also with an aspect 了 left out (请了假 is 请假, 签了字 is
        签字, 用了多少 is 用多少), and none in a number someone left (家长都留了电话 is contact data, no call)."""
        text = LEFT_NUMBER.sub("，", text)
        found = self.finder.found(text)
        if "了" in text:
            found |= self.finder.found(_ASPECT_LE.sub("", text))
        if "个" in text:  # a measure word inside a verb phrase (请个假, 签个字, 开个会): need words are written without it
            found |= self.finder.found(_MEASURE_GE.sub("", text))
        return found

    @staticmethod
    def elsewhere(statement: str) -> str | None:
        """What makes a statement look like a request for something else, if anything."""
        text = normalize(statement)
        hit = _matter_named(text) or _job(text) or _gap(text) or SEEKS.search(text)
        return hit.group(0) if hit else None

    def judge(self, pos: int, score: float, needs: list[str], elsewhere: str | None, bare: bool,
              threshold: float, statement: str, phrase: str = "", asked: set[str] | None = None,
              said: str | None = None) -> Confidence:
        """The level of the link from ``statement`` to product ``pos``; for 待确认, what to ask about
        the kind of need found that the product's texts are most about.

        ``asked`` (see :meth:`asked`): when the ask itself names the matter, the two need words must
        be in the ask (“电话费单据太多，想找个会计帮忙整理报销” asks for an accountant; “贷款快到还款日
        了，想提前提醒一下” asks for a reminder). ``said``: the client's own words, quoted in a question
        (``statement`` may be the matcher's Mandarin copy of them)."""
        said = statement if said is None else said
        covered = self.covered(pos)
        found = [w for w in needs if self.kind_of[w] in covered]
        if _unwired(statement) and not self.wireless(pos):
            found = [w for w in found if w not in WIRE_WORDS]  # 拉不了宽带: the wire named is what cannot be had
        matter_asked, carried, job, done = _signs(statement)
        in_ask = [w for w in found if w in asked] if matter_asked and asked is not None else found
        if carried:  # what the catalog lacks is a network: its words (and, on the move, what it carries) are no evidence
            in_ask = [w for w in in_ask if self.kind_of[w] not in carried]
        if matter_asked or _BILLS.search(statement):  # 话费单一大叠，财务对账; 电话费能不能抵税: the fees are the matter's object
            in_ask = [w for w in in_ask if w not in FEES]
        if elsewhere and JOBS.fullmatch(elsewhere):  # the thing a job or purchase is about names no need (换一台新电话机)
            in_ask = [w for w in in_ask if not _cue_in(elsewhere, w)]
        if job:  # the need words of the job given to the third party
            done_words = self.heard(done)
            in_ask = [w for w in in_ask if w in done_words]
        kinds = tuple(dict.fromkeys(NEEDS[self.kind_of[w]][0] for w in found))
        words = tuple(w.replace("*", "…") for w in found)
        # a bare ask is believed only if the rest names one kind of need twice (打电话来…等接通的时候),
        # with a phrasing as close as a clear link on two need words needs (not 电话打不通…想问问财务怎么交)
        twice = bare and max(Counter(self.kind_of[w] for w in found).values(), default=0) >= 2 \
            and score >= self.CLEAR_EVIDENCE
        if (bare or all(self.kind_of[w] in SUPPORTING for w in found)) and score >= self.CLOSE_ALONE and not elsewhere:
            # the need vocabulary has a gap, the phrasing is very close: the shared words are the evidence
            return Confidence(TO_CONFIRM, score, shared_words(statement, phrase), (CLOSE,),
                              f"您提到“{said}”。能具体说说现在是怎么做的、哪里最不方便吗？")
        strong = len({w for w in found if self.kind_of[w] not in SUPPORTING}) >= self.STRONG_WORDS
        if strong and not elsewhere and not bare:  # 群发、告诉、发…信息: many need words the product covers
            threshold = min(threshold, self.STRONG_FLOOR)
        if score < threshold + (self.ONE_WORD_MARGIN if len(found) == 1 else 0.0) \
                or all(self.kind_of[w] in SUPPORTING for w in found) \
                or (elsewhere and (_matter(elsewhere) or job or score < self.CLEAR_SCORE)
                     and sum(self.kind_of[w] not in SUPPORTING for w in in_ask) < 2) or (bare and not twice):
            return Confidence(NONE, score, words, kinds)
        if not elsewhere and not bare and (score >= self.CLEAR_SCORE or (score >= self.CLEAR_EVIDENCE and len(found) >= 2)):
            return Confidence(CLEAR, score, words, kinds)
        main = max((self.kind_of[w] for w in found), key=covered.__getitem__)  # what the product is most about
        question = f"您提到“{said}”。{NEEDS[main][2]}"
        return Confidence(TO_CONFIRM, score, words, kinds, question)


# 了 marking an aspect inside a verb phrase (请了假, 调了课, 用了多少): need words are written without it.
_ASPECT_LE = re.compile(r"(?<=[\u3400-\u9fff])了(?=[\u3400-\u9fff])")
# 个 as a measure word after a verb (请个假, 签个字, 开个会, 发个通知); not after a number or 这/那/每 (一个个, 每个站).
_MEASURE_GE = re.compile(r"(?<=[请签开发打填报拍装换批审])个(?=[\u3400-\u9fff])")
# A number or contact someone left (留了电话, 留下手机号): contact data, not a call to make.
LEFT_NUMBER = re.compile(r"留(了|下|过)?(个|了)?(电话|号码|手机号|手机|联系方式)")

# An ask to replace what people hear, see or get, named in the clause before (听到的是一段歌，想换成…).
_REPLACES = re.compile(r"(把它|都)?(换成|改成|变成|换为|改为)")
_PERCEIVED = re.compile(r"听到|听见|看到|显示|收到|放的|播的|响的")

# An ask that is only to see, send, hear or reach something, or to spare a trip (想一眼看到所有站, 想一次性发去
#全部业主手机, 想让…不用开两个小时车过来, 要求能远程巡考): what it conveys is named before it, in the statement.
CONVEYS = re.compile(r"看到|看得到|看得见|看得着|看见|一眼看|看一眼|瞄|看下(?!能|有没有|怎么|哪|要不要|是不是)"
                     r"|发(去|到|给|出去|过去)|送到|传(到|上|回|过去)|收到|听到|远程"
                     # to let someone hear something (等接通的时候想让他先听听我们的海景房)
                     r"|(让|给)[^，。；！？,;!?]{0,6}?(听听|听一听|听一下|听一段|听到)"
                     r"|不用[^，。；！？,;!?]{0,8}(过来|出来|进城|上来|跑|来回|赶)|少跑|不用再跑|省得跑"
                     # to know how things are (想知道又去不了), not how to do something or whom to ask
                     r"|(?<=想)知道(?![^，。；！？,;!?]{0,12}(怎么|如何|要不要|能不能|可不可以|去哪|找谁|哪里|哪个部门|什么条件|什么材料|政策|补贴|规定|标准|流程|手续))")

# An ask to change or compare with no object of its own (想改又不知道找谁, 续约费太贵了，想对比一下): what is
# changed is what they have, named before it.
_REVISES = re.compile(r"(改|换|换掉|对比|比较|比一比|比一下|升级)(一下)?(?=$|[，。；！？,;!?又也但就])")
# An ask to bring in the seller in place of what they have (学校想引入你们, 想换成移动的) or to make it better
# (想搞正规一点, 想弄稳定些): what is replaced or bettered is named before it.
_SWITCHES = re.compile(r"(引入|引进|换成|换用|改用|转用|转到|用回|换)(你们|移动|贵公司)"
                       r"|(搞|弄|做|变|换)?得?(正规|专业|清楚|清晰|稳定|像样|好)(一点|一些|点|些)")
# An ask only about the price (想免费, 想便宜点, 想省点钱): what is to cost less is named before it.
_CHEAPER = re.compile(r"(免费|不花钱|不要钱|不收钱|不收费|便宜|省钱|省点钱|少花|少交|少付)")

# A question someone else asks (游客打电话问开放时间、能不能停车): its 能不能 is theirs, not the client's ask.
_ASKED_BY_OTHERS = re.compile(r"问[^，。；！？,;!?]{0,16}$")


def _ask(text: str, pos: int = 0):
    """Where the client's own ask starts (想…, 希望…), skipping questions the statement reports."""
    for hit in _ASK.finditer(text, pos):
        if not _ASKED_BY_OTHERS.search(text, 0, hit.start()):
            return hit
    return None


@lru_cache(maxsize=64)
def _signs(statement: str) -> tuple[bool, tuple[str, ...], bool, str]:
    """Per statement, once for all its candidates: whether its ask names a matter; the kinds a gap
    makes no evidence; whether it gives a sought party a job, and the text of that job."""
    text = normalize(statement)
    hit = _ask(statement)
    matter_asked = hit is not None and bool(_matter(normalize(statement[hit.start():])))
    gap = _gap(text)
    carried = (_hooked_up(text) if gap.re is INTEGRATION else tuple(NEEDS) if gap.re in (NOWHERE, SELF_SERVE) else ("network", "video", "data") if MOVING.search(text)
               else ("network", "call", "data") if _lost(text) else ("network",)) if gap else ()
    job = DELEGATES.search(text)
    done = text[job.end() - len(job.group(job.lastindex)):] if job else ""
    return matter_asked, carried, job is not None, done


@lru_cache(maxsize=64)
def _unwired(statement: str) -> bool:
    """Per statement, once for all its candidates: whether it names a wire that cannot be pulled (NO_WIRE)."""
    return NO_WIRE.search(normalize(statement)) is not None


_BILLS = re.compile(BILLS)
FEES = frozenset({"话费", "手机费", "通讯费"})  # need words that name what a bill charges


def _lost(text: str) -> bool:
    """Whether phones lose the network somewhere, with no plain mobile call named after it as the way
    out (对讲机信号不好，用手机打又要钱 asks for calls)."""
    hit = COVERAGE.search(text)
    return hit is not None and not WIRED.search(text, hit.end())


def _matter(text: str):
    """A matter, a job done by hand, or a gap in the catalog named in ``text``."""
    return _matter_named(text) or _job(text) or _gap(text)


# Telling people of something (想让他们听到我们通过了…认证): what they are told is no request.
MADE_KNOWN = re.compile(r"让[^，。；！？,;!?]{0,6}(听到|知道|看到)")
# A matter word naming the client's own people (审计的同事, 会计部, 纳税人), a place of theirs (办税大厅, 办税点,
# 招生办) or a season (申报期, 招生季, 年报期间) is who, where or when, not what is asked.
PEOPLE = re.compile(r"的?同事|员|部|科|组|团队|们|人(?![才手员])|务?(大厅|窗口|点|办|处|局|所)|(高峰)?期|季|旺季")
# ... or the people it qualifies a few characters on (外包理货员, 外包的施工队), unless the word is to take people on (招, 缺)
QUALIFIES = re.compile(r"的?[\u3400-\u9fff]{1,3}?(员|工人|队)(?![伍长])")
# A matter word told as how much or how dear it is (他们补贴少, 利息太高): a reason given, not what is asked
RATED = re.compile(r"(太|很|好|比较|又|也|都|更)?(少|低|高|贵|不够|涨了|降了)")
_CLAUSE = re.compile(r"[^，。；！？,;!?]*")


def _matter_named(text: str):
    """The first matter in ``text`` that is neither the client's people nor what a notice or reminder
    in its clause, or an ask to tell, is about (报税截止前要提醒客户…, 交税截止前，想提醒商户…): telling people
    of a matter is a need."""
    ask = _ask(text)
    if ask and TELL.search(text, ask.end(), ask.end() + 4) and not SEEKS.search(text, ask.start()):
        return None  # the ask is to tell (想提醒…, 希望提前通知…)
    for hit in MATTERS.finditer(text):
        if PEOPLE.match(text, hit.end()) or RATED.match(text, hit.end()) \
                or (QUALIFIES.match(text, hit.end()) and not hit.group(0).startswith(("招", "缺", "多招"))):
            continue
        start = text.rfind("，", 0, hit.start()) + 1
        clause = text[start:_CLAUSE.match(text, hit.end()).end()]
        if (TELL.search(clause) or MADE_KNOWN.search(clause)) and not SEEKS.search(clause):
            continue
        return hit
    return None


# A job word that names the client's own staff (保洁员, 维修工, 送餐员, 保洁阿姨 …), or what a reminder or
# notice is about (想过半年提醒他清洗, 通知住户上门检修的时间): no job is asked of anyone else.
STAFF = re.compile(r"员|工(?![作程地厂期资具艺])|阿姨|师傅|人员|班组|队伍|机(?!构)|厂|车间|企业|行业")
TOLD = re.compile(r"(提醒|通知|告诉|告知|催)[^，。；！？,;!?]{0,8}$")
# A job word listed among the client's people (保安、保洁、工程部九百几人): staff, not a job asked for.
_PEOPLE_WORD = r"(员|部|队|保安|司机|师傅|阿姨|工人|医生|护士|老师|厨师|前台|经理|主管|店长)"
LISTED_AFTER = re.compile(r"[、/和及][^、，。；！？,;!?]{0,4}?" + _PEOPLE_WORD)
LISTED_BEFORE = re.compile(_PEOPLE_WORD + r"[、/和及]$")
TELL = re.compile(r"提醒|通知|告诉|告知")
# A job already done by the client's people (客房打扫完了，前台不知道…): what follows is the need, no job is asked.
DONE = re.compile(r"完了|完毕|完以后|完之后|好了以后|好之后|过了"
                  # who did it, told as how things are now (监控是装修公司装的): the job was done
                  r"|(公司|队|师傅)(装|做|弄|拉|搞)的")


def _job(text: str):
    """The first job done by hand named in ``text`` that is neither the client's staff nor what a
    reminder is about (just before it, or the ask is a reminder: 做完保养之后，想到时间提醒车主…)."""
    ask = _ask(text)
    if ask and TELL.search(text, ask.start()):
        return None
    for hit in JOBS.finditer(text):
        if _HEARD_RENEWED.fullmatch(hit.group(0)) and _PERCEIVED.search(text, 0, hit.start()):
            continue  # 都听到我们的彩铃…要换新的: what is heard is renewed
        if LISTED_AFTER.match(text, hit.end()) or LISTED_BEFORE.search(text, max(0, hit.start() - 3), hit.start()):
            continue
        if not STAFF.match(text, hit.end()) and not TOLD.search(text, 0, hit.start()) \
                and not DONE.match(text, hit.end()):
            return hit
    return None


# What callers hear or people see renewed (都听到我们的彩铃…要换新的): the content before it, no purchase.
_HEARD_RENEWED = re.compile(r"换新的|换一批")


# One piece of software hooked up to another (监控软件要跟功率预测系统做二次开发对接, 会员积分跟外卖平台的订单打通):
# software work no product here does. What the software is about (monitoring, members, stock …) is no evidence;
# a line between sites, messages sent from a system and data from devices still are.
INTEGRATION = re.compile(r"二次开发|开发接口|接口[^，。；！？,;!?]{0,4}开发"
                         # building an app or a website of their own (想做一个自己的新闻客户端app): what it would do is no evidence
                         r"|(做|开发|搭|建|定制)(一个|个|一套|套)?[^，。；！？,;!?]{0,8}(app|客户端|网站|公众号|小程序)"
                         r"|(系统|软件|平台|订单|接口|进销存|erp|his|crm|app|小程序)[^，。；！？,;!?]{0,12}(打通|对接|兼容|互通数据)"
                         r"|(打通|对接)[^，。；！？,;!?]{0,10}(系统|软件|平台|接口|订单|进销存|erp|his|crm|app)")
# Sites to be joined (几个仓库的系统要和总部对接): then a hook-up is a line between them.
SITES = re.compile(r"总部|总厂|分厂|分公司|分店|分院|总院|各地|异地|两地|之间|连回|各个(站|点|店|仓|厂|网点)")
DEVICES = re.compile(r"设备|传感器|仪表|仪器|水表|电表|探头|终端|机器|机子")


def _hooked_up(text: str) -> tuple[str, ...]:
    """The kinds of need a software hook-up makes no evidence: all but lines, messages and calls, and
    devices' data when devices are named (设备的数据对接到平台 is device access)."""
    kept = {"network", "message", "call"} | ({"data"} if DEVICES.search(text) else set())
    return tuple(k for k in NEEDS if k not in kept)


# Files or videos kept online (cloud storage, no product here), unless they are cameras' recordings.
STORAGE = re.compile(r"(存|放|传)(到|在|上)(网上|云上|云端|网盘|云盘)|(?<![用靠拿])(网盘|云盘)|云存储")
CAMERAS = re.compile(r"监控|摄像|探头|录像机")


# A wired line named where a connection fails (乡下几个站…老式的宽带，一断线): the line fails, not the phones' network.
_WIRE = re.compile(r"宽带|专线|光纤|光缆|网线|线路")


# A wish added on after the ask (…想要个不花钱的内部通话，最好能一键对讲): nice to have, not what is asked.
ADDED_WISH = re.compile(r"[，,](最好|最好是|要是还能|如果还能|能的话)[^，。；！？,;!?]*")


def _gap(text: str):
    """A gap in the catalog named in ``text``, unless what it asks for after it is a wired line
    (“信号一差就断，想换成稳定的线路”) or it is only a wish added on (…，最好能一键对讲)."""
    if ADDED_WISH.search(text) and _ASK.search(ADDED_WISH.sub("", text)):
        text = ADDED_WISH.sub("", text)
    hit = NOWHERE.search(text) or SELF_SERVE.search(text) or (None if SITES.search(text) else INTEGRATION.search(text))
    if not hit and not CAMERAS.search(text):
        hit = STORAGE.search(text)
    if hit:
        return hit
    hit = next((h for h in GAPS.finditer(text) if not _line_backup(text, h)), None) \
        or MOVING.search(text) or next((h for h in COVERAGE.finditer(text) if not _WIRE.search(h.group(0))), None)
    if hit:
        ask = _ask(text, hit.end())
        if ask and WIRED.search(text, ask.start()):
            return None
    return hit


# A line, channel or link (数据通道, 光缆, 专线 …): backing one up is a second line, not a copy of data.
_LINE = re.compile(r"通道|线路|链路|光缆|光纤|专线|宽带|网络|路由|出口|一条线|网")


def _line_backup(text: str, hit) -> bool:
    """Whether a 备份 named is of a line (升压站到省调的数据通道要有个备份), which a second line answers."""
    if hit.group(0) != "备份":
        return False
    start = text.rfind("，", 0, hit.start()) + 1
    end = _CLAUSE.match(text, hit.end()).end()
    return _LINE.search(text, start, end) is not None


def shared_words(statement: str, phrase: str) -> tuple[str, ...]:
    """The runs of two or more characters a statement shares with a phrasing, longest first."""
    grams = {phrase[i:i + 2] for i in range(len(phrase) - 1)}
    runs, start = [], None
    for i in range(len(statement)):
        inside = statement[i:i + 2] in grams and statement[i:i + 2] not in STOP_GRAMS
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            runs.append(statement[start:i + 1])
            start = None
    return tuple(sorted((r for r in dict.fromkeys(runs) if len(r) > 2 or not set(r) & _LIGHT), key=len, reverse=True))


_LIGHT = set("想要的了一是在有我你他她们这那个")  # a two-character run with one of these says nothing


# What the client has now: the thing named after 用的是 / 现在用的 / 走的是 … up to the end of its clause
# (用的是普通宽带，…), or their network named as what fails (有两个县的网老掉线; not a line named: 店里的宽带老是断，
# 想换… asks to replace that very line). It describes the situation the ask is to change; “现在是…” (a way of
# working: 现在是村干部一个个打电话) is not a thing had.
HAS_NOW = re.compile(r"(用的是|用的都是|用的还是|使用的是|走的是|装的是|接的是|拉的是|(现在|目前|现|一直|原来|还在)(用的|使用的|用|使用))"
                     r"[^，。；！？,;!?]{1,12}"
                     r"|的网络?(老是|老|总是|总|经常|常常|动不动|一直|时不时|天天|又)[^，。；！？,;!?]{0,12}")


def without_what_they_have(statement: str) -> str:
    """The statement with what the client has now left out: a cue word there (用的是普通宽带's 宽带) is no
    evidence for a product of that name over one answering what they ask (三个厂区之间的ERP老是卡: a line
    between the sites). The need words are still read from the whole statement: the situation names the
    kind of need. Used where two products answer a statement alike (:mod:`.alternatives`)."""
    return HAS_NOW.sub("，", statement)
