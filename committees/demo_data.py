"""The demo data set, as plain tables. committees/demo.py loads them; nothing here touches the database.

Sources: seed 004 (衢市人社专〔2021〕61号, its annex table of 25 committees, read as the 2026 plan) and
seed 003 (虞人社职〔2023〕3号: the Shangyu 机电制造 committee, its association, sub-specialties and the
material checklist of 附件3). Names of enterprises, people and certificate numbers are invented.
"""

from __future__ import annotations

from portal.plan_defaults import DEFAULT_MATERIALS

DEMO_PASSWORD = "demo12345"
PORTAL_URL = "http://127.0.0.1:8000"
PLAN_YEAR = 2026
QUZHOU_AREA_CODE = "0570"

# ---------------------------------------------------------------- regions (GB/T 2260)

# (code, name, level, parent code)
REGIONS = [
    ("330000", "浙江省", "province", None),
    ("330800", "衢州市", "city", "330000"),
    ("330802", "柯城区", "district", "330800"),
    ("330803", "衢江区", "district", "330800"),
    ("330822", "常山县", "district", "330800"),
    ("330824", "开化县", "district", "330800"),
    ("330825", "龙游县", "district", "330800"),
    ("330881", "江山市", "district", "330800"),
    ("330600", "绍兴市", "city", "330000"),
    ("330604", "上虞区", "district", "330600"),
]

# ---------------------------------------------------------------- HR and social security bureaus

# key, name, short name, kind, region, parent bureau key, phone
BUREAUS = [
    ("zj", "浙江省人力资源和社会保障厅", "省人力社保厅", "province_bureau", "330000", None, ""),
    ("qz", "衢州市人力资源和社会保障局", "市人社局", "city_bureau", "330800", "zj", "0570-3082312"),
    ("kc", "衢州市柯城区人力资源和社会保障局", "柯城区人社局", "district_bureau", "330802", "qz", ""),
    ("qj", "衢州市衢江区人力资源和社会保障局", "衢江区人社局", "district_bureau", "330803", "qz", ""),
    ("cs", "常山县人力资源和社会保障局", "常山县人社局", "district_bureau", "330822", "qz", ""),
    ("kh", "开化县人力资源和社会保障局", "开化县人社局", "district_bureau", "330824", "qz", ""),
    ("ly", "龙游县人力资源和社会保障局", "龙游县人社局", "district_bureau", "330825", "qz", ""),
    ("js", "江山市人力资源和社会保障局", "江山市人社局", "district_bureau", "330881", "qz", ""),
    ("sx", "绍兴市人力资源和社会保障局", "绍兴市人社局", "city_bureau", "330600", "zj", ""),
    # Seed 003 三(三): 0575-82206622, 0575-82120302; 嘉和路168号11楼1103室.
    ("sy", "绍兴市上虞区人力资源和社会保障局", "上虞区人社局", "district_bureau", "330604", "sx",
     "0575-82206622,0575-82120302"),
]

# ---------------------------------------------------------------- Quzhou industry authorities (行业主管部门)

# The abbreviation used in seed 004's 材料接收单位 column -> full name. All in 衢州市, under the city bureau.
AUTHORITIES = {
    "市经信局": "衢州市经济和信息化局",
    "市住建局": "衢州市住房和城乡建设局",
    "市交通局": "衢州市交通运输局",
    "市水利局": "衢州市水利局",
    "市农业农村局": "衢州市农业农村局",
    "市委宣传部": "中共衢州市委宣传部",
    "市委党校": "中共衢州市委党校",
    "市文旅局": "衢州市文化和广电旅游体育局",
    "市司法局": "衢州市司法局",
    "市自然资源和规划局": "衢州市自然资源和规划局",
    "市邮政管理局": "衢州市邮政管理局",
    "市教育局": "衢州市教育局",
    "市卫健委": "衢州市卫生健康委员会",
    "市财政局": "衢州市财政局",
    "市档案馆": "衢州市档案馆",
    "市统计局": "衢州市统计局",
    "市审计局": "衢州市审计局",
}
# Row 21 names the city bureau itself as the receiving unit.
CITY_BUREAU_ABBREVIATION = "市人社局"

# ---------------------------------------------------------------- title catalogue

# (code, name, exam_based). Seed 004 二(三): 经济、会计、审计、统计、出版、翻译、档案、卫生技术、药学、医疗器械
# and 全国计算机软考 are unified-exam series (no 初定).
SERIES = [
    ("engineering", "工程", False),
    ("arts-crafts", "工艺美术", False),
    ("agriculture", "农业", False),
    ("journalism", "新闻", False),
    ("political", "政工", False),
    ("party-school", "党校教师", False),
    ("mass-culture", "群众文化", False),
    ("cultural-relics", "文物博物", False),
    ("library", "图书资料", False),
    ("art", "艺术", False),
    ("lawyer", "律师", False),
    ("notary", "公证员", False),
    ("school-teacher", "中小学教师", False),
    ("vocational-teacher", "中等职业学校教师", False),
    ("education-research", "教育研究", False),
    ("laboratory", "实验技术", False),
    ("health", "卫生技术", True),
    ("economics", "经济", True),
    ("accounting", "会计", True),
    ("archives", "档案", True),
    ("statistics", "统计", True),
    ("audit", "审计", True),
    ("publishing", "出版", True),
    ("translation", "翻译", True),
    ("pharmacy", "药学", True),
    ("medical-devices", "医疗器械", True),
    ("computer-software", "计算机技术与软件", True),
]

_LIBRARIAN = [(2, "助理馆员"), (3, "馆员"), (4, "副研究馆员"), (5, "研究馆员")]
_ART_PROFESSIONS = ["编剧", "文学编辑", "导演", "作曲", "指挥", "舞美设计师", "舞台技师", "舞台监督", "演员", "演奏员"]
_ART_GRADES = [(2, "四级"), (3, "三级"), (4, "二级"), (5, "一级")]
_HEALTH_TRACKS = [  # 员级/助理级/中级/副高/正高 per track
    ("医士", "医师", "主治医师", "副主任医师", "主任医师"),
    ("中医士", "中医师", "主治中医师", "副主任中医师", "主任中医师"),
    ("药士", "药师", "主管药师", "副主任药师", "主任药师"),
    ("中药士", "中药师", "主管中药师", "副主任中药师", "主任中药师"),
    ("护士", "护师", "主管护师", "副主任护师", "主任护师"),
    ("技士", "技师", "主管技师", "副主任技师", "主任技师"),
]


def _ladder(*names: str, first_level: int = 1) -> list[tuple[int, str]]:
    return [(first_level + i, name) for i, name in enumerate(names)]


# series code -> [(TitleLevel value, qualification name)]
QUALIFICATIONS: dict[str, list[tuple[int, str]]] = {
    "engineering": _ladder("技术员", "助理工程师", "工程师", "高级工程师", "正高级工程师"),
    "arts-crafts": _ladder("工艺美术员", "助理工艺美术师", "工艺美术师", "高级工艺美术师", "正高级工艺美术师"),
    # 农机 staff hold 工程 series titles (row 6 reviews 工程师 besides 农艺师 …).
    "agriculture": [(1, "农业技术员"), (2, "助理农艺师"), (2, "助理畜牧师"), (2, "助理兽医师"), (3, "农艺师"),
                    (3, "畜牧师"), (3, "兽医师"), (4, "高级农艺师"), (4, "高级畜牧师"), (4, "高级兽医师"),
                    (5, "推广研究员")],
    "journalism": [(2, "助理记者"), (2, "助理编辑"), (3, "记者"), (3, "编辑"), (4, "主任记者"), (4, "主任编辑"),
                   (5, "高级记者"), (5, "高级编辑")],
    "political": _ladder("助理政工师", "政工师", "高级政工师", "正高级政工师", first_level=2),
    "party-school": [(2, "助教"), (3, "讲师"), (4, "高级讲师"), (4, "副教授"), (5, "正高级讲师"), (5, "教授")],
    "mass-culture": _LIBRARIAN,
    "cultural-relics": _LIBRARIAN,
    "library": _LIBRARIAN,
    "archives": [(1, "管理员"), *_LIBRARIAN],
    "art": [(level, f"{grade}{profession}") for profession in _ART_PROFESSIONS for level, grade in _ART_GRADES],
    "lawyer": _ladder("四级律师", "三级律师", "二级律师", "一级律师", first_level=2),
    "notary": _ladder("四级公证员", "三级公证员", "二级公证员", "一级公证员", first_level=2),
    "school-teacher": _ladder("三级教师", "二级教师", "一级教师", "高级教师", "正高级教师"),
    "vocational-teacher": [
        *_ladder("助理讲师", "讲师", "高级讲师", "正高级讲师", first_level=2),
        *_ladder("三级实习指导教师", "二级实习指导教师", "一级实习指导教师", "高级实习指导教师", "正高级实习指导教师"),
    ],
    "education-research": _ladder("研究实习员", "助理研究员", "副研究员", "研究员", first_level=2),
    "laboratory": _ladder("实验员", "助理实验师", "实验师", "高级实验师", "正高级实验师"),
    "health": [(level, name) for track in _HEALTH_TRACKS for level, name in _ladder(*track)],
    "economics": _ladder("助理经济师", "经济师", "高级经济师", "正高级经济师", first_level=2),
    "accounting": _ladder("助理会计师", "会计师", "高级会计师", "正高级会计师", first_level=2),
    "statistics": _ladder("助理统计师", "统计师", "高级统计师", "正高级统计师", first_level=2),
    "audit": _ladder("助理审计师", "审计师", "高级审计师", "正高级审计师", first_level=2),
}

# series code -> [(specialty code, name)]
SPECIALTIES: dict[str, list[tuple[str, str]]] = {
    "engineering": [
        # row 1 (and seed 003: 机电制造)
        ("jidian", "机电制造"), ("it", "信息技术"), ("petrochem", "石化"), ("energy", "能源"),
        ("materials", "材料"), ("textile", "轻纺"),
        # row 3
        ("arch-design", "建筑设计"), ("landscape", "风景园林（景观设计）"), ("structure", "建筑结构"),
        ("geo-survey", "工程勘察"), ("geotechnical", "岩土工程"), ("gas", "燃气工程"), ("hvac", "暖通工程"),
        ("building-electrical", "建筑电气（建筑智能化）"), ("decoration", "建筑装饰"),
        ("building-machinery", "建筑机械"), ("construction", "建筑施工"), ("water-drainage", "给排水"),
        ("municipal-road", "市政道路（桥梁）"), ("construction-management", "建筑工程管理"),
        ("building-materials", "建筑材料"), ("cost", "工程造价"), ("termite", "白蚁防治"),
        ("prefabricated", "装配式建筑"),
        # rows 4, 5, 15, 16
        ("transport", "交通运输工程"), ("water-conservancy", "水利工程"), ("forestry", "林业"),
        ("spatial-planning", "国土空间规划"), ("surveying-mapping", "测绘地理信息"),
        ("express-equipment", "快递设备工程"), ("network", "网络工程"), ("information", "信息工程"),
    ],
    "arts-crafts": [("traditional-crafts", "传统工艺美术")],
    "agriculture": [("agronomy", "农学"), ("horticulture", "园艺"), ("animal-husbandry", "畜牧"),
                    ("agri-machinery", "农机"), ("veterinary", "兽医"), ("plant-protection", "植保"),
                    ("aquaculture", "水产"), ("agri-general", "综合类及相关")],
    "journalism": [("journalism", "新闻")],
    "political": [("political", "政工")],
    "party-school": [("politics", "政治学"), ("economics", "经济学"), ("philosophy", "哲学")],
    "mass-culture": [("mass-culture", "群众文化")],
    "cultural-relics": [("cultural-relics", "文物博物")],
    "library": [("library", "图书资料")],
    "art": [("playwright", "编剧"), ("literary-editor", "文学编辑"), ("director", "导演"), ("composer", "作曲"),
            ("conductor", "指挥"), ("stage-design", "舞台美术设计"), ("stage-technology", "舞台技术"),
            ("stage-manager", "舞台监督"), ("actor", "演员"), ("instrumentalist", "演奏员")],
    "lawyer": [("lawyer", "律师")],
    "notary": [("notary", "公证员")],
    "school-teacher": [("school-teacher", "中小学（幼儿园）专任教师")],
    "vocational-teacher": [("general-courses", "文化课"), ("professional-courses", "专业课"),
                           ("practical-training", "实习指导课")],
    "education-research": [("education-management", "教育管理")],
    "laboratory": [("laboratory", "实验（教辅）")],
    "health": [("health", "卫生技术")],
    "economics": [("economics", "经济")],
    "accounting": [("accounting", "会计")],
    "archives": [("archives", "档案")],
    "statistics": [("statistics", "统计")],
    "audit": [("audit", "审计")],
}

# Seed 003 一(一)/二(一): the five sub-specialties of 机电制造.
JIDIAN_SUBSPECIALTIES = ["技术开发", "设计开发", "生产制造", "系统集成", "技术服务"]

# ---------------------------------------------------------------- provincial (higher) committees

# Key -> name; one per series whose senior titles the city committees only recommend (推荐).
HIGHER_COMMITTEES = {
    "engineering": "浙江省工程技术人员高级职务评审委员会",
    "agriculture": "浙江省农业技术人员高级职务评审委员会",
    "journalism": "浙江省新闻专业高级职务评审委员会",
    "political": "浙江省政工专业高级职务评审委员会",
    "party-school": "浙江省党校系统教师高级职务评审委员会",
    "mass-culture": "浙江省群众文化系列高级职务评审委员会",
    "cultural-relics": "浙江省文物博物系列高级职务评审委员会",
    "library": "浙江省图书资料专业高级职务评审委员会",
    "art": "浙江省艺术系列高级职务评审委员会",
    "lawyer": "浙江省律师公证员高级职务评审委员会",
    "economics": "浙江省经济专业高级职务评审委员会",
    "accounting": "浙江省会计专业高级职务评审委员会",
    "archives": "浙江省档案专业高级职务评审委员会",
    "statistics": "浙江省统计专业高级职务评审委员会",
    "audit": "浙江省审计专业高级职务评审委员会",
}

# ---------------------------------------------------------------- seed 004: the 25 Quzhou committees

# One dict per row of the annex table. `series` is the default series of the row's names; a (series, name)
# tuple names another series. `qualification_text`, `specialty_note`, `scope`, `review_month`,
# `material_month`, `receiver` and `phone` are the table's own text. Where the table is blank or abbreviated
# (rows 11–13, 18–19, 22–24) the value is taken from the row above or the series, as commented.
_ENGINEERING_LADDER = {"review": ["工程师", "助理工程师"], "recommend": ["高级工程师", "正高级工程师"],
                       "qualification_text": "评审工程师、助理工程师，推荐高级工程师、正高级工程师"}
_THREE_LEVEL_SCOPE = "初级：市本级 中级：全市 高级：全市"
_LIBRARIAN_LADDER = {"review": ["馆员", "助理馆员"], "recommend": ["副研究馆员", "研究馆员"],
                     "qualification_text": "评审馆员、助理馆员，推荐副研究馆员、研究馆员"}
_PROVINCIAL_PLAN = "按省高评委评审计划另定"

QUZHOU_COMMITTEES = [
    {  # seed 004 row 1
        "row": 1, "name": "衢州市工程技术和工业企业信息化领域人员中级职务评审委员会", "series": "engineering",
        **_ENGINEERING_LADDER,
        "specialties": ["机电制造", "信息技术", "石化", "能源", "材料", "轻纺"],
        "specialty_note": "机电制造、信息技术、石化、能源、材料、轻纺等专业，以及暂不具备设置中级评审委员会条件的专业",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "9-10月", "material_month": "8-9月",
        "receiver": "市经信局", "phone": "8758639", "higher": "engineering",
    },
    {  # seed 004 row 2
        "row": 2, "name": "衢州市工艺美术专业初级专业技术资格评审委员会", "series": "arts-crafts",
        "review": ["工艺美术员", "助理工艺美术师"], "recommend": [],
        "qualification_text": "评审工艺美术员、助理工艺美术师",
        "specialties": ["传统工艺美术"], "specialty_note": "传统工艺美术 创作、设计、研究、生产制作",
        "scope": "全市", "review_month": "10月", "material_month": "9月",
        "receiver": "市经信局", "phone": "8761722", "higher": None,
    },
    {  # seed 004 row 3
        "row": 3, "name": "衢州市建筑工程技术人员中级职务评审委员会", "series": "engineering",
        **_ENGINEERING_LADDER,
        "specialties": ["建筑设计", "风景园林（景观设计）", "建筑结构", "工程勘察", "岩土工程", "燃气工程",
                        "暖通工程", "建筑电气（建筑智能化）", "建筑装饰", "建筑机械", "建筑施工", "给排水",
                        "市政道路（桥梁）", "建筑工程管理", "建筑材料", "工程造价", "白蚁防治", "装配式建筑"],
        "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "10月", "material_month": "9月",
        "receiver": "市住建局", "phone": "8766613", "higher": "engineering",
    },
    {  # seed 004 row 4
        "row": 4, "name": "衢州市交通工程专业中级职务评审委员会", "series": "engineering",
        **_ENGINEERING_LADDER,
        "specialties": ["交通运输工程"], "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "8月下旬", "material_month": "8月上旬",
        "receiver": "市交通局", "phone": "3032135", "higher": "engineering",
    },
    {  # seed 004 row 5
        "row": 5, "name": "衢州市水利工程专业中级职务任职资格评审委员会", "series": "engineering",
        **_ENGINEERING_LADDER,
        "specialties": ["水利工程"], "specialty_note": "水利工程技术开发、规划设计、建设管理、运行管理",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "9月30日前", "material_month": "8月20日前",
        "receiver": "市水利局", "phone": "3082267", "higher": "engineering",
    },
    {  # seed 004 row 6
        "row": 6, "name": "衢州市农业技术人员中级职务评审委员会", "series": "agriculture",
        "review": ["农艺师", "畜牧师", "兽医师", ("engineering", "工程师"), "助理农艺师", "助理畜牧师",
                   "助理兽医师", ("engineering", "助理工程师")],
        "recommend": ["高级农艺师", "高级畜牧师", "高级兽医师", ("engineering", "高级工程师"), "推广研究员",
                      ("engineering", "正高级工程师")],
        "qualification_text": "评审农艺师、畜牧师、兽医师、工程师、助理农艺师、助理畜牧师、助理兽医师、助理工程师，"
                              "推荐高级农艺师、高级畜牧师、高级兽医师、高级工程师、推广研究员、正高级工程师",
        "specialties": ["农学", "园艺", "畜牧", "农机", "兽医", "植保", "水产", "综合类及相关"],
        "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "10月", "material_month": "9月",
        "receiver": "市农业农村局", "phone": "3067703", "higher": "agriculture",
    },
    {  # seed 004 row 7
        "row": 7, "name": "衢州市新闻专业中级职务评审委员会", "series": "journalism",
        "review": ["记者", "编辑", "助理记者", "助理编辑"], "recommend": ["主任记者", "主任编辑"],
        "qualification_text": "评审记者、编辑、助理记者、助理编辑，推荐主任记者、主任编辑",
        "specialties": ["新闻"], "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "10月", "material_month": "9月",
        "receiver": "市委宣传部", "phone": "8068172", "higher": "journalism",
    },
    {  # seed 004 row 8
        "row": 8, "name": "衢州市政工专业职务中级/初级评审委员会", "series": "political",
        "review": ["助理政工师", "政工师"], "recommend": ["高级政工师"],
        "qualification_text": "评审助理政工师、政工师，推荐高级政工师",
        "specialties": ["政工"], "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "12月", "material_month": "10月",
        "receiver": "市委宣传部", "phone": "3082245", "higher": "political",
    },
    {  # seed 004 row 9
        "row": 9, "name": "衢州市党校系统教师中级职务评审委员会", "series": "party-school",
        "review": ["讲师", "助教"], "recommend": ["高级讲师", "副教授", "正高级讲师", "教授"],
        "qualification_text": "评审讲师、助教，推荐高级讲师、副教授、正高级讲师、教授",
        "specialties": ["政治学", "经济学", "哲学"], "specialty_note": "",
        "scope": "本单位", "review_month": "9月30日前", "material_month": "9月1日前",
        "receiver": "市委党校", "phone": "3851797", "higher": "party-school",
    },
    {  # seed 004 row 10
        "row": 10, "name": "衢州市群文系列中级评审委员会", "series": "mass-culture", **_LIBRARIAN_LADDER,
        "specialties": ["群众文化"], "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "9月", "material_month": "8月",
        "receiver": "市文旅局", "phone": "8089958", "higher": "mass-culture",
    },
    {  # seed 004 row 11: scope, receiving unit and phone blank in the table -> row 10 (市文旅局)
        "row": 11, "name": "衢州市文博系列中级评审委员会", "series": "cultural-relics", **_LIBRARIAN_LADDER,
        "specialties": ["文物博物"], "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "9月", "material_month": "8月",
        "receiver": "市文旅局", "phone": "8089958", "higher": "cultural-relics",
    },
    {  # seed 004 row 12: as row 11
        "row": 12, "name": "衢州市图书资料专业中级评审委员会", "series": "library", **_LIBRARIAN_LADDER,
        "specialties": ["图书资料"], "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "9月", "material_month": "8月",
        "receiver": "市文旅局", "phone": "8089958", "higher": "library",
    },
    {  # seed 004 row 13: as row 11; "三级和四级编剧（…）" expanded to each profession
        "row": 13, "name": "衢州市艺术系列中级评审委员会", "series": "art",
        "review": [f"{grade}{p}" for p in _ART_PROFESSIONS for grade in ("三级", "四级")],
        "recommend": [f"{grade}{p}" for p in _ART_PROFESSIONS for grade in ("一级", "二级")],
        "qualification_text": "评审三级和四级编剧（文学编辑、导演、作曲、指挥、舞美设计师、舞台技师、舞台监督、演员、"
                              "演奏员），推荐一级和二级编剧（文学编辑、导演、作曲、指挥、舞美设计师、舞台技师、舞台监督、"
                              "演员、演奏员）",
        "specialties": ["编剧", "文学编辑", "导演", "作曲", "指挥", "舞台美术设计", "舞台技术", "舞台监督", "演员",
                        "演奏员"],
        "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "9月", "material_month": "8月",
        "receiver": "市文旅局", "phone": "8089958", "higher": "art",
    },
    {  # seed 004 row 14: two series (律师, 公证员) in one committee
        "row": 14, "name": "衢州市律师职务评审委员会", "series": "lawyer",
        "review": ["三级律师", ("notary", "三级公证员"), "四级律师", ("notary", "四级公证员")],
        "recommend": ["二级律师", ("notary", "二级公证员"), "一级律师", ("notary", "一级公证员")],
        "qualification_text": "评审三级律师、三级公证员、四级律师、四级公证员，推荐二级律师、二级公证员、一级律师、"
                              "一级公证员",
        "specialties": ["律师", ("notary", "公证员")], "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "9月", "material_month": "9月",
        "receiver": "市司法局", "phone": "3088261", "higher": "lawyer",
    },
    {  # seed 004 row 15
        "row": 15, "name": "衢州市自然资源工程技术人员中级职务任职资格评审委员会", "series": "engineering",
        **_ENGINEERING_LADDER,
        "specialties": ["林业", "国土空间规划", "测绘地理信息"], "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "10月", "material_month": "9月",
        "receiver": "市自然资源和规划局", "phone": "3862198", "higher": "engineering",
    },
    {  # seed 004 row 16
        "row": 16, "name": "衢州市快递行业中级职务任职资格评审委员会", "series": "engineering",
        **_ENGINEERING_LADDER,
        "specialties": ["快递设备工程", "网络工程", "信息工程"], "specialty_note": "",
        "scope": _THREE_LEVEL_SCOPE, "review_month": "10月", "material_month": "9月",
        "receiver": "市邮政管理局", "phone": "3070812", "higher": "engineering",
    },
    {  # seed 004 row 17: 教辅 -> 实验技术, 管理人员 -> 教育研究
        "row": 17, "name": "衢州市中小学（幼儿园）高级职务资格评审委员会", "series": "school-teacher",
        "review": ["高级教师", ("laboratory", "高级实验师"), ("education-research", "副研究员")], "recommend": [],
        "qualification_text": "评审高级教师、高级实验师、副研究员",
        "specialties": ["中小学（幼儿园）专任教师", ("laboratory", "实验（教辅）"),
                        ("education-research", "教育管理")],
        "specialty_note": "中小学（幼儿园）专任教师、教辅、管理人员",
        "scope": "全市（自主评聘单位除外）", "review_month": "11月", "material_month": "10月",
        "receiver": "市教育局", "phone": "3081830", "higher": None,
    },
    {  # seed 004 row 18: receiving unit and phone blank -> row 17 (市教育局)
        "row": 18, "name": "衢州市中等职业学校教师高级职务资格评审委员会", "series": "vocational-teacher",
        "review": ["高级讲师", "高级实习指导教师"], "recommend": [],
        "qualification_text": "评审高级讲师、高级实习指导教师",
        "specialties": ["文化课", "专业课", "实习指导课"], "specialty_note": "中等职业学校文化课、专业课、实习指导课",
        "scope": "全市（自主评聘单位除外）", "review_month": "11月", "material_month": "10月",
        "receiver": "市教育局", "phone": "3081830", "higher": None,
    },
    {  # seed 004 row 19: receiving unit and phone blank -> row 17 (市教育局)
        "row": 19, "name": "衢州市直中小学教师中级职务任职资格评审委员会", "series": "education-research",
        "review": ["助理研究员", ("laboratory", "实验师")], "recommend": [],
        "qualification_text": "评审助理研究员、实验师",
        "specialties": ["教育管理", ("laboratory", "实验（教辅）")], "specialty_note": "教育管理、实验系列",
        "scope": "全市（自主评聘单位除外）", "review_month": "11月", "material_month": "10月",
        "receiver": "市教育局", "phone": "3081830", "higher": None,
    },
    {  # seed 004 row 20: "主任（中）医（药、护、技）师" expanded
        "row": 20, "name": "衢州市卫技人员高级专业技术职务任职资格评审委员会", "series": "health",
        "review": ["主任医师", "主任中医师", "主任药师", "主任中药师", "主任护师", "主任技师",
                   "副主任医师", "副主任中医师", "副主任药师", "副主任中药师", "副主任护师", "副主任技师"],
        "recommend": [],
        "qualification_text": "评审主任（中）医（药、护、技）师、副主任（中）医（药、护、技）师",
        "specialties": ["卫生技术"], "specialty_note": "",
        "scope": "全市（自主评聘单位除外）", "review_month": "12月", "material_month": "11月",
        "receiver": "市卫健委", "phone": "3081702", "higher": None,
    },
    {  # seed 004 row 21
        "row": 21, "name": "衢州市经济专业中级职务评审委员会", "series": "economics",
        "review": [], "recommend": ["高级经济师", "正高级经济师"],
        "qualification_text": "推荐高级经济师、正高级经济师",
        "specialties": ["经济"], "specialty_note": "",
        "scope": "全市", "review_month": _PROVINCIAL_PLAN, "material_month": _PROVINCIAL_PLAN,
        "receiver": CITY_BUREAU_ABBREVIATION, "phone": "3082312", "higher": "economics",
    },
    {  # seed 004 row 22: the table gives only "会计"; name inferred from the series, times from row 21
        "row": 22, "name": "衢州市会计专业中级职务评审委员会", "series": "accounting",
        "review": [], "recommend": ["高级会计师"], "qualification_text": "推荐高级会计师",
        "specialties": ["会计"], "specialty_note": "",
        "scope": "全市", "review_month": _PROVINCIAL_PLAN, "material_month": _PROVINCIAL_PLAN,
        "receiver": "市财政局", "phone": "3055210", "higher": "accounting",
    },
    {  # seed 004 row 23: only "档案" in the table; as row 22
        "row": 23, "name": "衢州市档案专业中级职务评审委员会", "series": "archives",
        "review": [], "recommend": ["副研究馆员", "研究馆员"], "qualification_text": "推荐副研究馆员、研究馆员",
        "specialties": ["档案"], "specialty_note": "",
        "scope": "全市", "review_month": _PROVINCIAL_PLAN, "material_month": _PROVINCIAL_PLAN,
        "receiver": "市档案馆", "phone": "3082631", "higher": "archives",
    },
    {  # seed 004 row 24: only "统计" in the table; as row 22
        "row": 24, "name": "衢州市统计专业中级职务评审委员会", "series": "statistics",
        "review": [], "recommend": ["高级统计师"], "qualification_text": "推荐高级统计师",
        "specialties": ["统计"], "specialty_note": "",
        "scope": "全市", "review_month": _PROVINCIAL_PLAN, "material_month": _PROVINCIAL_PLAN,
        "receiver": "市统计局", "phone": "3082507", "higher": "statistics",
    },
    {  # seed 004 row 25: times blank -> row 21
        "row": 25, "name": "衢州市审计专业中级技术资格评审委员会", "series": "audit",
        "review": [], "recommend": ["高级审计师"], "qualification_text": "推荐高级审计师",
        "specialties": ["审计"], "specialty_note": "",
        "scope": "全市", "review_month": _PROVINCIAL_PLAN, "material_month": _PROVINCIAL_PLAN,
        "receiver": "市审计局", "phone": "3072356", "higher": "audit",
    },
]

# Seed 004's scope words -> ReviewPlan.Scope values.
SCOPE_WORDS = {
    "市本级": "city_proper",
    "全市": "whole_city",
    "本单位": "own_staff",
    "全市（自主评聘单位除外）": "whole_city_except_self",
}

# ---------------------------------------------------------------- seed 003: Shangyu

SHANGYU_COMMITTEE = "绍兴市上虞区机械电机工程技术人员中级专业技术职务任职资格评审委员会"
SHANGYU_PLAN = {
    "code": "sy2026-jd",
    "title": f"{PLAN_YEAR}年度全区民营工业企业机电制造中级专业技术职务任职资格评审计划",
    "series": "engineering",
    "review": ["工程师"],
    "specialties": ["机电制造"],
    "specialty_note": "机电制造（技术开发、设计开发、生产制造、系统集成、技术服务）",
    "scope_intermediate": "district",
    "expected_review_month": "",
    "phone": "0575-82206622,0575-82120302",
    "notes": "据虞人社职〔2023〕3号：申报人须在五个子专业和正常申报、破格申报、技能人才申报三类中各选其一；"
             "区机械电机工程师协会、区人力社保部门审核后推荐至评委会。",
}

# ---------------------------------------------------------------- channel organisations

# Credit codes are built from (registration authority + type, region code, 8-character organisation-code body):
# the GB 11714 check character completes the organisation code and the GB 32100 one the credit code.
# key, name, kind, region, parent bureau key, credit (prefix, region, body), is_private, authorisation confirmed
CHANNEL_ORGS = [
    ("emp1", "衢州智衡机电设备有限公司", "enterprise", "330802", "kc", ("91", "330802", "MA2DK7C4"), True, True),
    ("emp2", "绍兴上虞恒远电机有限公司", "enterprise", "330604", "sy", ("91", "330604", "MA2BN3W8"), True, True),
    ("emp3", "衢州云杉信息技术有限公司", "enterprise", "330800", "qz", ("91", "330800", "MA2E4R6T"), True, True),
    ("emp4", "衢州江润新材料有限公司", "enterprise", "330803", "qj", ("91", "330803", "MA29UH5L"), False, True),
    # Left unconfirmed: its HR may not act until the 授权委托书 is confirmed (seed 003 二(二)).
    ("emp5", "绍兴上虞精工机械制造有限公司", "enterprise", "330604", "sy", ("91", "330604", "MA2C8PLQ"), True,
     False),
    ("inst1", "衢州市产业技术服务中心", "public_institution", "330800", "qz", ("12", "330800", "47012563"), False,
     True),
    ("agency", "衢州市人才服务中心", "personnel_agency", "330800", "qz", ("12", "330800", "47013892"), False, True),
    ("dispatch", "衢州众联人力资源服务有限公司", "dispatch_company", "330800", "qz", ("91", "330800", "MA2DQ0F6"),
     True, True),
    ("point", "衢州智造新城职称申报受理服务点", "service_point", "330800", "qz", ("12", "330800", "MB0Y3625"), False,
     True),
    # Seed 003 二(三): the association receives and checks the materials with the district bureau.
    ("assoc", "绍兴市上虞区机械电机工程师协会", "association", "330604", "sy", ("51", "330604", "MJ8A2T51"), False,
     True),
]
ORG_SHORT_NAMES = {"assoc": "区机械电机工程师协会"}

# ---------------------------------------------------------------- plan material checklist (seed 003 附件3)

# The 评审表 is generated by the portal and the 真实性保证书 signed online, so neither is an upload.
# code, name, description, required, applies_to
# The checklist of seed 003 附件3, shared with plans created through the office pages.
PLAN_MATERIALS = DEFAULT_MATERIALS
# Plans that do not review an intermediate title get the generic form name.
EXCEPTIONAL_FORM_GENERIC_NAME = "破格推荐专业技术职务任职资格审批表"

# ---------------------------------------------------------------- accounts

# username, full name, role, organisation key ("bureau:qz", "committee:qz01", "channel:emp1", …)
STAFF_ACCOUNTS = [
    ("hr1", "周晓燕", "hr", "channel:emp1"),
    ("hr2", "陈佳丽", "hr", "channel:emp2"),
    ("hr3", "吴海峰", "hr", "channel:emp3"),
    ("hr_agency", "郑丽君", "hr", "channel:agency"),
    ("hr_dispatch", "孙国庆", "hr", "channel:dispatch"),
    ("hr_point", "徐婷", "hr", "channel:point"),
    ("officer", "毛建华", "officer", "bureau:qz"),
    ("officer_kc", "姜文斌", "officer", "bureau:kc"),
    ("officer_sy", "钱立群", "officer", "bureau:sy"),
    ("officer_assoc", "俞伟东", "officer", "channel:assoc"),
    ("officer_jx", "叶明", "officer", "authority:市经信局"),
    ("clerk1", "方晓东", "clerk", "committee:qz01"),
    ("clerk2", "汪静", "clerk", "committee:qz03"),
    ("clerk_sy", "谢春燕", "clerk", "committee:sy"),
    ("auditor", "杨振华", "auditor", "bureau:qz"),
]

# Experts with an account: username, name, committee key, series, specialty, title, employer key or name,
# region, private sector.
EXPERT_ACCOUNTS = [
    ("expert1", "柴国平", "qz01", "engineering", "机电制造", "正高级工程师", "channel:inst1", "330800", False),
    ("expert2", "祝慧敏", "qz01", "engineering", "机电制造", "高级工程师", "channel:emp4", "330803", False),
    ("expert3", "金志刚", "sy", "engineering", "机电制造", "高级工程师", "channel:emp5", "330604", True),
]

# ---------------------------------------------------------------- the generated expert pool

SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊孟秦邱江尹薛毛郝"
GIVEN_NAMES = [
    "建国", "志强", "海燕", "晓明", "丽华", "卫东", "国强", "秀英", "文杰", "建军", "立新", "红梅", "永刚", "春生",
    "晓峰", "美玲", "振宇", "丹", "伟", "敏", "静", "磊", "军", "勇", "涛", "斌", "超", "明", "华", "婷",
    "志华", "金龙", "雪峰", "宏伟", "晓红", "建平", "玉兰", "国华", "新民", "一鸣", "子涵", "浩然", "思远",
    "宇航", "嘉懿", "俊杰", "文博", "雅琴", "丽萍", "冬梅",
]

# Employers named on generated experts (invented). Keys "channel:…" link to a demo organisation.
QUZHOU_ENGINEERING_EMPLOYERS = [
    "channel:emp1", "channel:emp4", "channel:inst1", "衢州学院", "衢州市特种设备检验中心", "衢州市质量技术监督检测中心",
    "浙江衢州高新技术产业园区管委会", "衢州东港精密机械有限公司", "衢州柯能电力工程有限公司", "衢州信安智能科技有限公司",
    "龙游宏纸新材料有限公司", "江山华联纺织科技有限公司",
]
QUZHOU_REGIONS = ["330800", "330802", "330803", "330822", "330824", "330825", "330881"]

# Invented employers of generated experts that are private enterprises (民营企业专家).
PRIVATE_SECTOR_EMPLOYERS = {
    "衢州东港精密机械有限公司", "衢州柯能电力工程有限公司", "衢州信安智能科技有限公司", "龙游宏纸新材料有限公司",
    "江山华联纺织科技有限公司", "衢州城建设计有限公司", "衢州正衡工程咨询有限公司", "衢州正信会计师事务所",
    "绍兴上虞华泰电气有限公司",
}

# committee key, series, specialty, count, title names (cycled), employers (cycled), regions (cycled)
EXPERT_POOLS = [
    ("qz01", "engineering", "机电制造", 5, ("高级工程师", "正高级工程师"), QUZHOU_ENGINEERING_EMPLOYERS, QUZHOU_REGIONS),
    ("qz01", "engineering", "信息技术", 5, ("高级工程师", "正高级工程师"), QUZHOU_ENGINEERING_EMPLOYERS, QUZHOU_REGIONS),
    ("qz01", "engineering", "石化", 5, ("高级工程师", "正高级工程师"), QUZHOU_ENGINEERING_EMPLOYERS, QUZHOU_REGIONS),
    ("qz01", "engineering", "能源", 5, ("高级工程师", "正高级工程师"), QUZHOU_ENGINEERING_EMPLOYERS, QUZHOU_REGIONS),
    ("qz01", "engineering", "材料", 5, ("高级工程师", "正高级工程师"), QUZHOU_ENGINEERING_EMPLOYERS, QUZHOU_REGIONS),
    ("qz01", "engineering", "轻纺", 5, ("高级工程师", "正高级工程师"), QUZHOU_ENGINEERING_EMPLOYERS, QUZHOU_REGIONS),
    ("qz03", "engineering", "建筑设计", 2, ("高级工程师",), ["衢州市建筑设计研究院", "衢州城建设计有限公司"],
     QUZHOU_REGIONS),
    ("qz03", "engineering", "建筑结构", 2, ("高级工程师", "正高级工程师"), ["衢州市建筑设计研究院"], QUZHOU_REGIONS),
    ("qz03", "engineering", "建筑施工", 2, ("高级工程师",), ["衢州建工集团有限公司"], QUZHOU_REGIONS),
    ("qz03", "engineering", "工程造价", 2, ("高级工程师",), ["衢州正衡工程咨询有限公司"], QUZHOU_REGIONS),
    ("qz04", "engineering", "交通运输工程", 3, ("高级工程师",), ["衢州市公路与运输管理中心", "衢州交投建设有限公司"],
     QUZHOU_REGIONS),
    ("qz05", "engineering", "水利工程", 3, ("高级工程师", "正高级工程师"), ["衢州市水利水电勘测设计院"], QUZHOU_REGIONS),
    ("qz06", "agriculture", "农学", 2, ("高级农艺师", "推广研究员"), ["衢州市农业林业科学研究院"], QUZHOU_REGIONS),
    ("qz06", "agriculture", "畜牧", 1, ("高级畜牧师",), ["衢州市畜牧兽医技术推广站"], QUZHOU_REGIONS),
    ("qz06", "agriculture", "兽医", 1, ("高级兽医师",), ["衢州市畜牧兽医技术推广站"], QUZHOU_REGIONS),
    ("qz20", "health", "卫生技术", 4, ("主任医师", "主任护师", "主任药师", "主任技师"),
     ["衢州市人民医院", "衢州市中医医院"], QUZHOU_REGIONS),
    ("qz22", "accounting", "会计", 3, ("高级会计师", "正高级会计师"), ["衢州正信会计师事务所", "衢州市财政局"],
     QUZHOU_REGIONS),
    ("qz17", "school-teacher", "中小学（幼儿园）专任教师", 3, ("高级教师", "正高级教师"),
     ["衢州第一中学", "衢州市实验学校"], QUZHOU_REGIONS),
    ("sy", "engineering", "机电制造", 8, ("高级工程师", "正高级工程师"),
     ["channel:emp2", "channel:emp5", "绍兴上虞精密电机研究所", "上虞区经济和信息化局", "绍兴上虞华泰电气有限公司"],
     ["330604"]),
]

# ---------------------------------------------------------------- applicants and their archives

# Years are given relative to the load date: assessments cover the last three completed years (Y-3..Y-1),
# continuing education the current year and the two before it (Y-2..Y), as in seed 003 (2021–2023 for 2023).
APPLICANTS = [
    {
        "username": "applicant1", "name": "王建明", "gender": "male", "id_prefix": "330802", "birth": "1990-03-15",
        "id_serial": "271", "phone": "13857012301", "org": "channel:emp1",
        "educations": [
            {"level": "bachelor", "school": "浙江工业大学", "major": "机械设计制造及其自动化", "start_date": "2008-09-01",
             "graduation_date": "2012-06-30", "degree": "工学学士"},
        ],
        "work": [
            {"employer_name": "衢州恒力机械厂", "start": "2012-07-01", "end": "2015-06-30", "post": "技术员"},
            {"employer": "channel:emp1", "start": "2015-07-01", "end": None, "post": "研发部工程师"},
        ],
        "titles": [
            {"series": "engineering", "qualification": "助理工程师", "obtained_date": "2017-12-28",
             "appointed_date": "2018-01-01", "method": "review",
             "issuer": "衢州市工程技术和工业企业信息化领域人员中级职务评审委员会", "certificate_no": "衢工助2017-0412"},
        ],
        "skills": [],
        "assessments": ["qualified", "good", "excellent"],
        "ce": [(12, 8, 72), (12, 8, 76), (14, 8, 70)],
        "achievements": [
            {"kind": "project", "title": "数控折弯机电液伺服控制系统开发", "date": "2023-11-30", "level": "municipal",
             "rank": 1, "role": "项目负责人", "issuer": "衢州市科学技术局", "issuer_is_government": True,
             "reference_no": "QZKJ2022-031"},
            {"kind": "patent", "title": "一种折弯机后挡料定位装置", "date": "2024-05-17", "patent_type": "utility",
             "rank": 1, "issuer": "国家知识产权局", "issuer_is_government": True, "reference_no": "ZL202321234567.8"},
            {"kind": "paper", "title": "电液伺服折弯机同步控制策略研究", "date": "2024-09-10", "rank": 1,
             "issuer": "《机床与液压》", "reference_no": "ISSN 1001-3881"},
        ],
    },
    {
        # Skills route (技能人才申报, seed 003 二(二)3): 技师 and three years of technical work; no title.
        "username": "applicant2", "name": "徐海涛", "gender": "male", "id_prefix": "330604", "birth": "1986-08-09",
        "id_serial": "153", "phone": "13957512302", "org": "channel:emp2",
        "educations": [
            {"level": "junior_college", "school": "浙江机电职业技术学院", "major": "电气自动化技术",
             "start_date": "2004-09-01", "graduation_date": "2007-06-30", "degree": ""},
        ],
        "work": [
            {"employer_name": "绍兴上虞东山电器有限公司", "start": "2007-07-01", "end": "2013-02-28", "post": "维修电工",
             "professional": False, "skilled": True},
            {"employer": "channel:emp2", "start": "2013-03-01", "end": None, "post": "电机装配车间技术主管",
             "professional": True, "skilled": True},
        ],
        "titles": [],
        "skills": [
            {"level": "technician", "occupation": "电工", "obtained_date": "2019-11-20",
             "certificate_no": "1906000000301234"},
        ],
        "assessments": ["good", "qualified", "good"],
        "ce": [(18, 6, 70), (16, 8, 72), (18, 6, 66)],
        "achievements": [
            {"kind": "patent", "title": "一种电机定子绕线张力调节装置", "date": "2023-04-21", "patent_type": "utility",
             "rank": 1, "issuer": "国家知识产权局", "issuer_is_government": True, "reference_no": "ZL202223456789.1"},
            {"kind": "honour", "title": "上虞区优秀技能人才", "date": "2022-12-15", "level": "county",
             "issuer": "绍兴市上虞区人民政府", "issuer_is_government": True},
        ],
    },
    {
        # Private-firm route without 助理工程师 (seed 003 二(二)1: 研究生 2 years of professional work).
        "username": "applicant3", "name": "李静怡", "gender": "female", "id_prefix": "330803", "birth": "1992-11-02",
        "id_serial": "248", "phone": "13757012303", "org": "channel:emp3",
        "educations": [
            {"level": "bachelor", "school": "杭州电子科技大学", "major": "计算机科学与技术", "start_date": "2010-09-01",
             "graduation_date": "2014-06-30", "degree": "工学学士"},
            {"level": "master", "school": "浙江大学", "major": "软件工程", "start_date": "2014-09-01",
             "graduation_date": "2017-03-31", "degree": "工程硕士"},
        ],
        "work": [
            {"employer": "channel:emp3", "start": "2017-04-01", "end": None, "post": "软件开发工程师"},
        ],
        "titles": [],
        "skills": [],
        "assessments": ["excellent", "good", "good"],
        "ce": [(12, 10, 70), (12, 8, 74), (12, 10, 72)],
        "achievements": [
            {"kind": "software_copyright", "title": "智慧园区能耗监测平台V2.0", "date": "2023-08-08", "rank": 1,
             "issuer": "中华人民共和国国家版权局", "issuer_is_government": True, "reference_no": "2023SR0987654"},
            {"kind": "project", "title": "衢州智造新城企业能耗数字化监管系统", "date": "2024-12-20",
             "level": "municipal", "rank": 2, "role": "技术负责人", "issuer": "衢州市经济和信息化局",
             "issuer_is_government": True},
        ],
    },
    {
        # A freelancer declaring through the personnel agency (自由职业者经人事代理机构).
        "username": "applicant4", "name": "邵文强", "gender": "male", "id_prefix": "330822", "birth": "1988-05-27",
        "id_serial": "315", "phone": "13567012304", "org": "channel:agency",
        "educations": [
            {"level": "bachelor", "school": "浙江科技学院", "major": "工程管理", "start_date": "2006-09-01",
             "graduation_date": "2010-06-30", "degree": "管理学学士"},
        ],
        "work": [
            {"employer_name": "衢州正衡工程咨询有限公司", "start": "2010-07-01", "end": "2019-12-31", "post": "造价员"},
            {"employer_name": "自由职业（工程造价咨询）", "start": "2020-01-01", "end": None, "post": "造价工程师"},
        ],
        "titles": [
            {"series": "engineering", "qualification": "助理工程师", "obtained_date": "2013-12-20",
             "appointed_date": "2014-01-01", "method": "initial", "issuer": "衢州市人力资源和社会保障局",
             "certificate_no": "衢初定2013-0877"},
        ],
        "skills": [],
        "assessments": ["qualified", "qualified", "good"],
        "ce": [(12, 8, 70), (12, 8, 70), (12, 8, 72)],
        "achievements": [
            {"kind": "project", "title": "常山县城市综合体工程全过程造价咨询", "date": "2024-06-30", "rank": 1,
             "role": "项目负责人"},
        ],
    },
]
