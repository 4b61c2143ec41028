"""危房 tab (the module's screens come with the dangerous-house issue)."""

from liandu_desk.ui.tabs.base import PendingModuleTab


class HousesTab(PendingModuleTab):
    """Dangerous houses: screening, appraisal, rectification, close-out."""

    heading = "危房模块尚未启用"
    description = (
        "本版本还没有危房案卷功能。启用后，这里将列出农村和城镇房屋的排查、鉴定（A–D级）、"
        "整治和销号记录，并可按乡镇（街道）、等级和整治状态筛选。目前数据库中没有危房数据。"
    )
