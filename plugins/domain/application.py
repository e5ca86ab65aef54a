"""依申请公开: the 政府信息公开申请表 (application form for government information), as the
《中华人民共和国政府信息公开条例》(2019) article 29 asks an application to state it, with the
fields of the forms provincial departments publish. Pure data: the HTML page and the Word file are
both made from it.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE = "政府信息公开申请表"


@dataclass(frozen=True)
class Field:
    label: str
    lines: int = 1  # rows of space to write in on paper
    choices: tuple[str, ...] = ()  # printed as boxes to tick (□)


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Form:
    key: str  # citizen / organisation: file and anchor names
    applicant: str  # 公民 / 法人或者其他组织
    sections: tuple[Section, ...]

    @property
    def title(self) -> str:
        return f"{TITLE}（{self.applicant}）"


REQUESTED = Section(
    "所需政府信息情况",
    (
        Field("所需政府信息的名称"),
        Field("所需政府信息的文号"),
        Field("所需政府信息的内容描述或者其他特征性描述", lines=4),
        Field("获取信息的载体形式", choices=("纸质", "电子邮件", "光盘", "其他")),
        Field(
            "获取信息的方式",
            choices=("邮寄", "电子邮件", "传真", "自行领取", "当场阅读、抄录"),
        ),
    ),
)
SIGNATURE = Section("申请人确认", (Field("申请人签名或者盖章"), Field("申请日期")))

FORMS = (
    Form(
        "citizen",
        "公民",
        (
            Section(
                "申请人信息",
                (
                    Field("姓名"),
                    Field("工作单位"),
                    Field("证件名称", choices=("居民身份证", "护照", "其他")),
                    Field("证件号码"),
                    Field("通信地址"),
                    Field("邮政编码"),
                    Field("联系电话"),
                    Field("电子邮箱"),
                ),
            ),
            REQUESTED,
            SIGNATURE,
        ),
    ),
    Form(
        "organisation",
        "法人或者其他组织",
        (
            Section(
                "申请人信息",
                (
                    Field("名称"),
                    Field("统一社会信用代码"),
                    Field("法定代表人或者主要负责人"),
                    Field("联系人姓名"),
                    Field("联系人电话"),
                    Field("联系人电子邮箱"),
                    Field("通信地址"),
                    Field("邮政编码"),
                ),
            ),
            REQUESTED,
            SIGNATURE,
        ),
    ),
)

# What happens after an application, by the 条例 (2019) articles 30-33 and 42: the defaults of
# APPLICATION_STEPS. A department under older rules sets its own.
STEPS = (
    "收到申请后登记。申请内容不明确的，本机关自收到申请之日起 7 个工作日内"
    "一次性告知需要补正的事项和合理的补正期限。",
    "能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起 20 个工作日内予以答复。",
    "需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，"
    "延长的期限最长不超过 20 个工作日。",
    "征求第三方意见所需的时间不计算在答复期限内。",
    "依申请提供政府信息，不收取费用；申请数量、频次明显超过合理范围的，可以收取信息处理费。",
)
