"""Name pools for demo data: plausible village and community names of the Lishui area."""


def pool(words: str) -> tuple[str, ...]:
    """A pool of names written as one space-separated string (short to read, stable under formatting)."""
    return tuple(words.split())


VILLAGE_STEMS = pool(
    "梅田 九龙 汝河 马 库坑 夏庄 赛坑 官桥 库川 龚山 西溪 堰头 下南山 上黄 岩门 周巷 高溪 "
    "保定 新合 里河 章塘 下梁 白岩 石牛 资福 吴村 何金 大塆 联合 沙溪 底岱 雅里 黄泥墩 "
    "上岙 半岭 坑口 前庄 后宅 东山 西岸 塘里 上坪 下坪 竹源 岩头 溪口 双溪 桥头 莲湖 朝阳 "
    "富岭 杨店 应庄 陈寮 郑地 林宅 叶村 王庄 金村 项村"
)

COMMUNITY_STEMS = pool(
    "天宁 囿山 中山 万象 应星 丽阳 南明 大洋 紫金 岩泉 仓前 水东 花园 三岩寺 白云 联城 "
    "城北 城西 处州 文昌 高井 酱园 解放 望湖"
)
