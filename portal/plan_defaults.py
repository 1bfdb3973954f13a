"""Defaults for a new review plan: the material checklist of seed 003 附件3 (虞人社职〔2023〕3号)."""

from __future__ import annotations

# code, name, description, required, applies_to
DEFAULT_MATERIALS = [
    (
        "degree",
        "学历学位证书",
        "2001年以前毕业或系统无法提取学历学位信息的，上传学历学位证书及毕业生登记表（或学历电子注册备案表、"
        "学历认证报告）；国（境）外学历须附认证书。",
        True,
        "all",
    ),
    (
        "title_cert",
        "现任专业技术职务资格证书、聘任证书",
        "正常申报、破格申报人员必须提供；技能人才申报人员以职业资格证书代替。",
        False,
        "all",
    ),
    (
        "pension",
        "近3年基本养老保险参保缴费证明",
        "系统无法自动提取或提取不全（含省外参保）的，手动上传缴费证明。",
        True,
        "all",
    ),
    ("ce_card", "继续教育学时登记卡", "近3年继续教育学时，须满足本计划的学时要求。", True, "all"),
    (
        "achievements",
        "工作业绩与成果证明",
        "任现职后或近五年取得并与申报专业相关；论文附期刊封面、刊号、目录及本文，项目附合同、立项书、"
        "验收报告及主要参与人员名单、盖章页。",
        True,
        "all",
    ),
    (
        "assessment",
        "近三年年度考核材料",
        "逐年填写考核结果（如“2024合格”“2025优秀”），以年度为单元列表，不以奖状替代。",
        True,
        "all",
    ),
    (
        "exceptional_form",
        "破格推荐中级专业技术职务任职资格审批表",
        "说明符合哪几条破格条件，并附有关证明材料。",
        True,
        "exceptional",
    ),
    (
        "skill_cert",
        "技师职业资格证书（职业技能等级证书）",
        "取得技师职业资格或职业技能等级后从事技术技能工作满3年。",
        True,
        "skills",
    ),
    ("other", "其他材料", "荣誉证书、获奖证书等其他佐证材料（如有）。", False, "all"),
]
