"""The words of the demo county's reports: composed from many phrasings per category and per
tier, so that a model trained on the demo history has something to learn and the worklists
read like a county's.

A simple problem is one a unit or building leader settles (a corridor to clear, a neighbour
to talk to); a complex one needs the grid or the community to coordinate (a whole estate, a
village road, the property company); a hard one needs a county department (illegal building,
wage arrears, waterlogging), and the department that would lead it is the one it is written
for. The same category comes at every tier: the words, not the category, say how hard it is.
"""

from __future__ import annotations

import random

# Simple: (category, problem). One household or one stairwell; a leader can settle it.
SIMPLE: dict[str, list[str]] = {
    "sanitation": [
        "楼道里堆放杂物，垃圾很久没人清扫",
        "楼道里堆满了纸箱和旧家具，走路都要侧身",
        "单元门口的垃圾桶满了没人倒",
        "单元门口经常有狗屎，没人清理",
        "楼梯扶手上灰很厚，好久没人擦了",
        "有人把装修垃圾扔在单元门口",
        "楼下绿化带里塑料袋、饮料瓶很多",
        "隔壁把垃圾袋放在门口，天热发臭",
        "楼道里发现老鼠，晚上还有蟑螂",
        "楼下的垃圾桶盖子坏了，苍蝇很多",
        "单元楼道墙上贴满了小广告",
        "楼顶平台堆了很多垃圾没人清",
        "我家门口那个垃圾桶好几天没倒了",
        "屋旁边有只死老鼠，没人收拾",
        "组里路边有人倒了一堆烂菜叶",
        "单元门口的下水口被树叶堵住了",
    ],
    "utilities": [
        "单元的公共水管一直在滴水",
        "楼道电表箱门关不上，电线露在外面",
        "家里总是跳闸，想请人帮忙看看线路",
        "水表箱的盖子丢了，怕小孩掉进去",
        "我家水表走得特别快，怀疑有问题",
        "楼道里的水管阀门生锈拧不动",
        "家里水龙头出水很小，不知道是不是阀门没开",
        "暖气片不热，想请人来放放气",
        "单元门口的燃气表箱门坏了",
        "楼上水管漏水，渗到我家天花板",
        "屋后的水渠被树叶堵了，水漫到院子里",
        "楼道里的水管接口松了，地上一摊水",
        "家里卫生间的下水道堵了，楼上一用水就冒",
    ],
    "neighbours": [
        "楼上晚上噪音很大，多次沟通无果",
        "楼上小孩每天晚上跑跳，吵得睡不着",
        "邻居家的狗整天叫，老人休息不好",
        "对门把鞋柜放在楼道里占了一半过道",
        "邻居占用楼道堆放物品",
        "楼上空调外机滴水，正好滴在我家窗台上",
        "邻居早上六点多就开始装修",
        "楼上晾衣服往下滴水，我家被子都湿了",
        "邻居在楼道里抽烟，烟味飘进家里",
        "隔壁把电动车停在我家门口",
        "两家因为楼道堆放东西吵了起来",
        "邻居家的猫总往我家阳台跑",
        "隔壁家的鸡天天跑到我家菜地里啄菜",
        "邻居把柴火堆到了我家墙根下",
        "对门家的孩子总在楼道里玩球，吵得很",
    ],
    "safety": [
        "楼道里有人拉电线给电动车充电",
        "楼道的消防栓箱门掉了",
        "单元里的灭火器过期了",
        "单元门口的树上有个马蜂窝",
        "有人把电瓶拿到家里充电，怕不安全",
        "楼道里堆了几桶油漆，怕着火",
        "单元门的锁坏了，谁都能进来",
        "楼道里有人堆了好几个液化气罐",
        "组里有户人家在屋里烧炭取暖，怕中毒",
    ],
    "property": [
        "单元门禁卡刷不开门",
        "单元门的闭门器坏了，门一直砰砰响",
        "楼道窗户玻璃碎了，风往里灌",
        "电梯里的按钮有一个不亮",
        "楼道灯不亮，晚上上下楼看不见",
        "单元信报箱坏了，信件经常丢",
        "楼道的感应灯一直亮着不灭",
        "单元门口的灯坏了，晚上黑漆漆的",
        "楼道扶手松了，老人扶着晃",
    ],
    "roads": [
        "单元门口的地砖松了，一踩就翘",
        "楼前小路上有个坑，容易崴脚",
        "楼下的路沿石掉了一块",
        "单元门前的台阶缺了个角",
        "屋门口那盏路灯坏了",
    ],
    "welfare": [
        "楼里的独居老人好几天没出门，想请人去看看",
        "想问一下高龄补贴怎么领",
        "家里老人行动不便，想请网格员上门帮忙办认证",
        "邻居家老人一个人在家，想请人定期去看看",
        "隔壁的李奶奶一个人住，这两天没见她开门",
        "想问问残疾证到哪里去办",
    ],
    "planning": [
        "邻居在阳台外面装了个铁架子，挡住了我家窗户",
        "楼下住户在窗外搭了个雨棚，雨水滴得很响",
        "邻居把楼道尽头隔起来当储物间",
        "隔壁在巷子口搭了个小棚子，挡住了路",
    ],
    "other": [
        "想问一下怎么办居住证",
        "希望单元门口装个扶手，老人上台阶方便",
        "快递经常放在楼道里，丢了好几次",
        "小区里流浪猫太多，晚上叫得厉害",
        "希望社区提前通知停水时间",
        "想给单元里装个公告栏",
        "楼下的健身器材有颗螺丝松了",
        "想咨询一下孩子上学要准备哪些材料",
        "家里的老人想学用智能手机，能不能有人教一下",
        "想问一下社区的办事时间",
    ],
}

# Complex: a whole estate, street or village; the grid leader or the community coordinates.
COMPLEX: dict[str, list[str]] = {
    "sanitation": [
        "小区垃圾站好几天没清运，堆成了小山",
        "垃圾桶满了没人清运，气味很大",
        "下水道堵塞，污水外溢",
        "小区的化粪池满了，污水冒到路面上",
        "村里的垃圾池很久没人拉，臭气熏天",
        "菜市场门口污水横流，苍蝇成群",
        "小区绿化带蚊虫特别多，希望统一消杀",
        "村口的水沟堵了，生活污水流到路上",
        "小区雨污管道混接，下水井一直冒臭味",
        "整条街的垃圾桶都没人收",
        "几户人家的生活污水都排到门口的水沟里",
        "组里的养殖户把粪水排到路边，臭得很",
        "河边有人乱倒建筑垃圾，越堆越多",
        "村里的公厕很久没人打扫，脏得进不去",
    ],
    "roads": [
        "小区门口路面坑洼，下雨积水",
        "路灯坏了好几天，晚上很黑",
        "井盖松动，行人容易绊倒",
        "小区主干道路面大面积开裂",
        "这条街的路灯坏了好几盏，晚上黑乎乎的",
        "村里的水泥路有一段塌了，车过不去",
        "人行道地砖大面积破损，推婴儿车很难走",
        "小区门口的减速带坏了，钢钉露在外面",
        "路边的井盖不见了，只放了个树枝",
        "小区里乱停车，早上车都开不出去",
        "村道两边的树枝长得太长，挡住了视线",
        "组里的路还是泥巴路，一下雨就没法走",
        "村里几盏路灯都不亮，晚上走夜路怕摔",
        "进村的路边排水沟塌了一段",
        "路口的人行道护栏倒了一段",
    ],
    "utilities": [
        "最近经常停水，水压很低",
        "整栋楼经常停水，高层根本没水",
        "小区一片停电好几个小时，也没人通知",
        "小区自来水发黄，有股铁锈味",
        "路边的供水管爆了，水流了一地",
        "村里的自来水时有时无",
        "小区里燃气管道有异味，邻居都闻到了",
        "整个单元的暖气都不热",
        "小区路边的电线垂得很低，快碰到人了",
        "组里好几户人家的自来水管冻裂了",
        "村里这两天一直没电，冰箱里的东西都坏了",
    ],
    "neighbours": [
        "邻里因为漏水问题产生纠纷",
        "楼上漏水到楼下，两家协商赔偿谈不拢",
        "两户人家因为宅基地边界吵了好几次",
        "广场舞音响太大，附近居民意见很大",
        "邻居养的狗咬伤了人，双方对赔偿有争议",
        "两家因为共用的排水沟闹矛盾，差点打起来",
        "邻居在公共过道上砌了花坛，几户人家有意见",
        "楼下饭店油烟大，和楼上住户闹了矛盾",
        "村里两家因为鸡鸭跑到菜地里吵架",
        "两兄弟为了分老房子闹得不可开交",
        "两户人家共用的一堵墙裂了，谁都不肯出钱修",
    ],
    "safety": [
        "电动车在楼道里充电，有火灾隐患",
        "消防通道被车辆占用",
        "小区监控坏了，担心安全",
        "电动车在楼道里集中充电，好几栋楼都是这样",
        "消防通道被私家车长期占用，说了也不听",
        "最近小区里接连丢了几辆电动车",
        "小区围墙有个缺口，外人随便进出",
        "有陌生人挨家挨户推销，老人怕上当",
        "空地上堆放了很多废品和木料，怕起火",
        "村里几户人家还在用老旧的煤气罐",
        "村里的流浪狗咬了小孩，好几户都害怕",
        "小区里有人遛狗不牵绳，吓到了小孩",
        "晚上有年轻人在小区里飙车，很危险",
    ],
    "property": [
        "电梯经常故障，老人上下楼困难",
        "小区门禁坏了一个月没人修",
        "楼道灯不亮，物业不管",
        "电梯这个月已经坏了三次，还困过人",
        "物业不作为，小区卫生没人管",
        "物业突然涨了停车费，业主意见很大",
        "小区绿化没人修剪，树枝伸进了窗户",
        "物业和业主因为维修费用吵起来了",
        "小区的健身广场灯坏了，物业一直拖着不修",
        "物业合同到期，小区好几个月没人管",
        "物业把小区的公共绿地租出去做停车场",
        "地下车库漏水，物业说没钱修",
    ],
    "welfare": [
        "独居老人生活困难，希望申请救助",
        "残疾人家庭需要帮助办理补贴",
        "孤寡老人无人照料",
        "困难家庭的孩子上学需要资助",
        "老人想申请居家养老服务，不知道怎么办",
        "家里有重病人，生活困难，想了解能不能申请救助",
        "留守儿童放学后没人管",
        "村里几位老人吃饭成问题，希望有人帮忙",
        "村里一户人家很困难，想请村里帮忙准备低保申请材料",
        "组里一位老人腿脚不便，希望能安排人定期送饭",
        "丈夫去世后一个人带两个孩子，生活很难",
    ],
    "planning": [
        "老旧小区需要改造，外墙脱落",
        "附近工地夜间施工噪声扰民",
        "小区空地被人私自圈起来种菜",
        "小区想建个非机动车棚，需要统一规划",
        "小区公共绿地被人改成了停车位",
        "附近工地早上五点就开工，渣土满地",
        "村里有人在公共道路上砌围墙，几户人家出行受阻",
        "小区有户人家把车库改成了住人的房子",
    ],
    "other": [
        "希望小区增设健身器材",
        "公交站台缺少遮雨棚",
        "希望社区开设老年食堂",
        "小区快递柜太少，快递经常放不下",
        "希望小区增加电动车充电桩",
        "希望村里建个文化活动室",
        "小区里没有一个可以晒太阳的座椅",
        "希望在小区门口设一个便民服务点",
        "村里的老年活动室一直锁着门",
        "希望小区装几个快递驿站的指示牌",
    ],
}

# Hard: a county department must act; each phrasing is written for the department that
# leads it, with the category it is filed under.
HARD: dict[str, list[tuple[str, str]]] = {
    "县住建局": [
        ("planning", "楼房墙体出现裂缝，越来越大，住户担心是危房"),
        ("planning", "老房子地基下沉，门窗都变形了，需要做房屋安全鉴定"),
        ("planning", "老旧小区外墙瓷砖成片脱落，砸坏了楼下的车"),
        ("property", "开发商逾期两年不交房，几百户业主找不到人"),
        ("property", "买房好几年了还办不下房产证，开发商一直推"),
        ("property", "小区电梯要大修，住宅维修基金一直申请不下来"),
        ("planning", "老旧小区改造施工拖了半年，路挖开了没人管"),
        ("planning", "农村危房改造的补助一直没有到位"),
        ("roads", "一下大雨小区就内涝，地下车库全被淹了"),
        ("roads", "这条路每次下暴雨都严重积水，水深到膝盖，内涝问题年年有"),
        ("utilities", "城区老管网经常爆管，整片小区停水"),
        ("planning", "工地天天夜里浇混凝土，吵到凌晨两三点"),
    ],
    "县城管局": [
        ("planning", "有人私搭乱建，占用公共空间"),
        ("planning", "小区一楼住户私自扩建院子，盖了违章建筑"),
        ("planning", "楼顶有人加盖了一层彩钢房，属于违建"),
        ("roads", "街边商户占道经营，摊位摆到了马路中间"),
        ("sanitation", "夜市烧烤油烟很大，整条街烟雾缭绕"),
        ("roads", "渣土车一路撒漏，路面全是泥"),
        ("safety", "路边的户外广告牌松动，刮风时摇摇欲坠"),
        ("sanitation", "流动摊贩在学校门口摆摊，垃圾满地"),
        ("sanitation", "城区垃圾中转站臭气熏天，周边居民受不了"),
        ("roads", "城区一整条街的路灯坏了一个多月没人修"),
    ],
    "县民政局": [
        ("welfare", "家庭收入很低，申请低保被拒，不知道原因"),
        ("welfare", "特困老人没有纳入供养，生活没有着落"),
        ("welfare", "村里的养老院条件太差，老人吃不饱"),
        ("welfare", "街上有流浪人员睡在桥洞下，天冷了怕出事"),
        ("welfare", "残疾人两项补贴停发了好几个月"),
        ("welfare", "低保户的救助金突然停了，家里揭不开锅"),
        ("welfare", "孤儿的基本生活费一直没领到"),
        ("welfare", "房子被洪水冲了，救灾补助一直没发下来"),
    ],
    "县人社局": [
        ("welfare", "工地老板拖欠工资半年，几十个工人讨不到钱"),
        ("welfare", "在厂里干了一年，老板拖欠工资跑路了"),
        ("welfare", "农民工工资被包工头克扣，年底拿不到钱"),
        ("welfare", "单位一直没给交社保，退休手续办不了"),
        ("welfare", "公司辞退员工不给经济补偿"),
        ("welfare", "在工地上摔伤了，老板不给认定工伤"),
        ("welfare", "养老保险断缴了好几年，想补缴没有门路"),
        ("welfare", "招聘时说包吃住，干了两个月一分工资没发"),
    ],
    "县卫健委": [
        ("other", "村里有个黑诊所，没有执照给人打针输液"),
        ("sanitation", "诊所把医疗垃圾和生活垃圾混在一起扔"),
        ("welfare", "村卫生室好几个月没有医生坐诊"),
        ("other", "乡镇卫生院看病排队太久，药也不全"),
        ("welfare", "家里老人慢性病用药报销不了"),
        ("other", "孩子打疫苗要跑很远，希望就近接种"),
    ],
    "县教体局": [
        ("welfare", "孩子到了入学年龄，学校说学位已满不收"),
        ("welfare", "家里困难，孩子的助学金申请了一直没批"),
        ("safety", "接送学生的校车超载，很危险"),
        ("other", "学校食堂饭菜质量差，孩子吃不饱"),
        ("other", "小区旁边的校外培训机构乱收费"),
        ("other", "学校要求家长统一买资料，收费不透明"),
        ("other", "村小学的操场坑坑洼洼，孩子体育课没法上"),
        ("safety", "学校门口上下学时段交通混乱，学生过马路很危险"),
    ],
    "县公安局": [
        ("safety", "最近附近接连发生入室盗窃，居民很害怕"),
        ("safety", "有人在出租屋里聚众赌博，天天半夜吵"),
        ("safety", "老人接到诈骗电话被骗走了养老钱"),
        ("safety", "深夜经常有改装摩托车炸街，吵得睡不着"),
        ("safety", "烧烤店门口经常有人喝醉打架"),
        ("safety", "小区附近有人吸毒，家长很担心"),
        ("safety", "停车场的车窗被砸，车里东西被偷"),
        ("other", "孩子上户口跑了好几趟都办不下来"),
    ],
    "县水利局": [
        ("safety", "村边的河堤有一段垮塌了，汛期很危险"),
        ("planning", "河滩上有人非法采砂，河岸都挖空了"),
        ("sanitation", "河道淤塞，水发黑发臭"),
        ("utilities", "农田灌溉渠年久失修，庄稼浇不上水"),
        ("utilities", "村里的饮用水井水质变差，喝了肚子不舒服"),
        ("safety", "山塘水库的坝体有渗水，下游村民担心"),
    ],
    "县交通运输局": [
        ("roads", "通村公路被重车压坏了，坑坑洼洼没法走"),
        ("roads", "村口的小桥桥面开裂，栏杆也断了"),
        ("other", "村里的公交线路停了，老人进城很不方便"),
        ("safety", "有黑车在车站门口拉客，乱要价"),
        ("roads", "国道边的护栏被撞坏好几个月没修"),
        ("roads", "乡道上的交通标志牌被撞倒了，晚上看不清路"),
        ("roads", "超载的大货车把村里的水泥路压得稀烂"),
        ("roads", "山区公路边坡塌方，石头滚到了路上"),
    ],
    "县自然资源局": [
        ("planning", "有人占用基本农田盖房子"),
        ("planning", "村民的宅基地审批一直办不下来"),
        ("safety", "村后的山坡有裂缝，下雨怕发生滑坡"),
        ("planning", "有人私自开山采石，山体被挖得千疮百孔"),
        ("planning", "征地补偿款一直没有发到村民手里"),
        ("planning", "和邻村的山林界线有争议，调解了几次都不成"),
    ],
    "县市场监管局": [
        ("other", "小超市在卖过期食品，买回来才发现"),
        ("sanitation", "路边饭店后厨脏乱差，有人吃完拉肚子"),
        ("property", "小区电梯年检过期了，物业还在用"),
        ("other", "菜市场有商贩用缺斤短两的秤"),
        ("other", "药店高价卖药，明码标价和收费不一样"),
        ("safety", "有店铺没有证照，偷偷卖散装液化气"),
        ("safety", "居民楼里开了个无证加工作坊，整天机器响"),
        ("other", "美容店办卡后关门跑路，几十个人的预付卡退不了"),
    ],
    "县供电公司": [
        ("utilities", "这个月小区已经停电五六次，变压器容量不够"),
        ("utilities", "村里电压太低，晚上电灯忽明忽暗，电器带不动"),
        ("utilities", "村里的电线老化严重，经常冒火花"),
        ("safety", "路边的电线杆被车撞歪了，电线快落地"),
        ("utilities", "新建的房子申请通电半年还没接上"),
        ("utilities", "农网改造后反而经常停电，养殖场受了损失"),
    ],
}

URBAN = ["{b}号楼", "{b}号楼{u}单元", "小区东门", "小区南门口", "地下车库入口",
         "小区广场旁", "{road}和{road2}的路口", "{road}菜市场旁边", "{road}{b}号附近",
         "小区{b}栋后面"]  # fmt: skip
RURAL = ["村口", "村东头", "{b}组", "村委会旁边", "村小学附近", "河边那几户", "老街上"]
ROADS = ["人民路", "建设路", "解放路", "新华街", "文化路", "滨河路", "工业大道", "东风路"]
TIMES = ["最近", "这几天", "已经一个多星期了，", "半个多月了，", "从上个月开始", "每天晚上",
         "一到下雨天", "昨天", "周末", "今年以来", "好几年了，"]  # fmt: skip
ASKS = {
    "simple": ["希望尽快处理。", "麻烦派人看看。", "请帮忙解决，谢谢。", "请单元长提醒一下。",
               "希望楼栋长协调一下。", ""],
    "complex": ["请社区协调解决。", "希望网格员来看看。", "希望社区出面管一管。",
                "请尽快安排人处理。", "已经跟物业说过了，没人管。", ""],
    "hard": ["希望县里有关部门依法处理。", "社区说管不了，请求上级部门解决。",
             "多次反映一直没有结果。", "请相关部门尽快调查。", "涉及很多户，希望县里重视。",
             "", ""],
}  # fmt: skip
# Asks anyone makes, whatever the problem: most reports end with one of these, so that the
# problem, not the closing words, tells how hard it is.
ANY_ASK = ["希望尽快解决。", "请帮忙处理一下。", "谢谢！", "麻烦尽快处理。", "希望有人管管。",
           "盼回复。", ""]  # fmt: skip
OPENERS = ["你好，", "您好，", "我想反映个问题，", "麻烦问一下，", "跟你们说个事，"]
OPENERS_HERE = {False: "我是{b}号楼的住户，", True: "我是本村村民，"}
EFFECTS = {
    "simple": ["进出很不方便", "老人孩子容易摔倒", "看着很不舒服"],
    "complex": ["好几户人家都受影响", "周边居民意见很大", "找过几次都没解决"],
    "hard": ["涉及几十户人家", "已经一年多了", "社区和村里都解决不了"],
}


def _where(rng: random.Random, rural: bool) -> str:
    shape = rng.choice(RURAL if rural else URBAN)
    road, road2 = rng.sample(ROADS, 2)
    return shape.format(b=rng.randint(1, 24), u=rng.randint(1, 4), road=road, road2=road2)


def _compose(rng: random.Random, tier: str, problem: str, rural: bool) -> str:
    """A report as a resident writes one: sometimes where and since when, the problem, and
    often what they ask for."""
    text = problem
    if rng.random() < 0.25:
        text += "，" + rng.choice(EFFECTS[tier])
    if rng.random() < 0.5:
        text = _where(rng, rural) + ("，" if rng.random() < 0.5 else "") + text
    if rng.random() < 0.4:
        text = rng.choice(TIMES) + text
    if rng.random() < 0.25:
        opener = rng.choice([*OPENERS, OPENERS_HERE[rural]])
        text = opener.format(b=rng.randint(1, 24)) + text
    if rng.random() < 0.3:
        return text + "。"
    asks = ASKS[tier] if rng.random() < 0.3 else ANY_ASK
    return text + "，" + rng.choice(asks)


def report(
    rng: random.Random, tier: str, *, rural: bool = False, department: str = ""
) -> tuple[str, str]:
    """(category code, text) of a report of `tier`; a hard one written for `department`."""
    if tier == "hard":
        category, problem = rng.choice(HARD[department])
    else:
        table = SIMPLE if tier == "simple" else COMPLEX
        category, problem = rng.choice([(c, p) for c, ps in table.items() for p in ps])
    return category, _compose(rng, tier, problem, rural).rstrip("，")


def _by_category() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for table in (SIMPLE, COMPLEX):
        for category, problems in table.items():
            texts.setdefault(category, []).extend(problems)
    for written in HARD.values():
        for category, problem in written:
            texts.setdefault(category, []).append(problem)
    return texts


# Every problem the reports are composed around, by category (what a check that other text
# borrows nothing from the demo reads).
TEXTS = _by_category()
