"""The meeting's arithmetic, in integers only (domain.md d.3 and the Decisions table).

- Quorum (40号令, M; D: Quorum): experts present × 3 ≥ panel size × 2.
- Pass (seed 004 一(四) 同意票数达到出席会议专家总数2/3以上; D: Vote threshold): agree × 3 ≥ entitled × 2,
  where entitled = experts present minus those recused for that application. "以上" includes the
  number itself (民法典 Art. 1259), so 7 entitled need 5 agree votes (15 ≥ 14) and 4 do not (12 < 14).
- Nobody passes without at least one entitled voter (0 × 3 ≥ 0 × 2 would otherwise hold).
"""

from __future__ import annotations

PASS_RULE = (
    "同意票数×3≥有表决权出席专家数×2，即同意票达到出席会议专家（回避者除外）总数的三分之二以上"
    "（衢市人社专〔2021〕61号 一(四)；回避专家不计入分母为平台决定）"
)
QUORUM_RULE = "出席专家数×3≥执行委员会人数×2（人社部令第40号）"


def quorum_met(*, present: int, panel_size: int) -> bool:
    return present * 3 >= panel_size * 2


def quorum_needed(panel_size: int) -> int:
    return (panel_size * 2 + 2) // 3


def required_agree(entitled: int) -> int:
    """The smallest agree count that passes: ceil(2 × entitled / 3)."""
    return (entitled * 2 + 2) // 3


def passes(*, agree: int, entitled: int) -> bool:
    return entitled > 0 and agree * 3 >= entitled * 2
