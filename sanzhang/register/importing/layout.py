"""The columns of a register file: one row per resident, households by their number."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanzhang.core.tables import Layout

REGISTER = Layout(
    columns={
        "household": ("household_number", "户编号"),
        "place": ("place_code", "所在地编码"),
        "door": ("door", "门牌号"),
        "address": ("address", "地址"),
        "name": ("name", "姓名"),
        "id_number": ("id_number", "身份证号"),
        "phone": ("phone", "联系电话"),
        "relation": ("relation", "与户主关系"),
        "tags": ("special_groups", "特殊人群"),
    },
    required=("household", "place", "name", "id_number"),
    no_rows=_("The file has a header but no residents."),
)

# As household registers write the relation (与户主关系), and the English keys.
RELATIONS = {
    "户主": "head",
    "本人": "head",
    "配偶": "spouse",
    "妻": "spouse",
    "夫": "spouse",
    "子女": "child",
    "子": "child",
    "女": "child",
    "儿子": "child",
    "女儿": "child",
    "父母": "parent",
    "父亲": "parent",
    "母亲": "parent",
    "孙辈": "grandchild",
    "孙子": "grandchild",
    "孙女": "grandchild",
    "外孙子": "grandchild",
    "外孙女": "grandchild",
    "祖父母": "grandparent",
    "兄弟姐妹": "sibling",
    "其他": "other",
}
# Between the tags of one cell: the separators people type in Excel.
TAG_SEPARATORS = ";；,，、/ "
