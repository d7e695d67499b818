"""Why a baseline model was refused and what data would help, in Chinese and English."""

from __future__ import annotations

ADVICE: dict[str, tuple[str, str]] = {
    "cvrmse": (
        "基准模型的 CV(RMSE) 超过限值：模型未能解释能耗的变化。请补充驱动能耗的自变量"
        "（各产品产量、采暖度日数、运行小时数），或改用小时数据。",
        "CV(RMSE) above its limit: the model does not explain the energy's variation. Add the"
        " variables that drive it (each product's output, heating degree-days, operating hours)"
        " or use hourly data.",
    ),
    "nmbe": (
        "基准模型的 NMBE 超过限值：模型整体偏高或偏低。请检查基准期数据的缺漏与异常值。",
        "|NMBE| above its limit: the model is biased. Check the baseline data for gaps and"
        " outliers.",
    ),
    "shift": (
        "基准期前后两段的残差明显不同：基准期内运行状况发生了变化（如产量或产品结构改变）。"
        "请将基准期缩短到变化之后，或以自变量描述该变化，或录入非常规调整。",
        "The baseline's residuals differ between its two halves: operation changed inside the"
        " baseline (a production or product change). Shorten the baseline to after the change,"
        " describe the change with a variable, or enter a non-routine adjustment.",
    ),
}
"""Reason code → (Chinese, English) advice."""


def advice_for(reasons: tuple[str, ...]) -> list[dict[str, str]]:
    """The advice for each reason, as ``{"reason", "zh", "en"}``."""
    return [{"reason": r, "zh": ADVICE[r][0], "en": ADVICE[r][1]} for r in reasons]
