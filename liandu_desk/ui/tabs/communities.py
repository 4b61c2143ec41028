"""星级小区 tab (the module's screens come with the star-rated community issue)."""

from liandu_desk.ui.tabs.base import PendingModuleTab


class CommunitiesTab(PendingModuleTab):
    """Star-rated communities: inspections, issues, ratings and red/black lists."""

    heading = "星级小区模块尚未启用"
    description = (
        "本版本还没有星级物管小区功能。启用后，这里将记录小区检查评分、发现问题及整改、"
        "星级评定、擂台赛排行以及小区和物业企业的红黑榜。"
    )
