"""加装电梯 tab (the module's screens come with the elevator-retrofit issue)."""

from liandu_desk.ui.tabs.base import PendingModuleTab


class ElevatorsTab(PendingModuleTab):
    """Elevator retrofits: projects, owner votes, disputes and mediation."""

    heading = "加装电梯模块尚未启用"
    description = (
        "本版本还没有既有住宅加装电梯功能。启用后，这里将按单元管理加装电梯项目的各个阶段、"
        "业主表决（双三分之二参与、双四分之三同意）、费用分摊以及纠纷调解记录。"
    )
