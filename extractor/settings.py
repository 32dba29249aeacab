"""Named settings: every threshold the pipeline uses, validated once."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Party labels: rapidfuzz score (0-100) a label must reach against an alias, and the
    # margin by which the best party must beat the runner-up, so that near-ties between
    # two parties ("Turkish forces" / "Russian forces") are never resolved by a guess.
    fuzzy_threshold: float = Field(default=90.0, ge=50, le=100)
    fuzzy_margin: float = Field(default=4.0, ge=0, le=50)

    # PDF geometry. Lines in the top/bottom band that repeat on this share of pages are
    # running headers/footers; text smaller than body size by this factor is a caption,
    # footnote or superscript.
    margin_band: float = Field(default=0.09, gt=0, lt=0.5)
    repeat_share: float = Field(default=0.5, gt=0, le=1)
    small_font_ratio: float = Field(default=0.86, gt=0, le=1)
    # A baseline-to-baseline distance larger than this many typical line pitches starts
    # a new paragraph.
    paragraph_gap: float = Field(default=1.35, gt=1)

    # A page with fewer characters than this but with images is "image only".
    min_text_chars: int = Field(default=40, ge=0)
    # Share of letters among non-space characters below which a text layer is garbage.
    min_letter_share: float = Field(default=0.55, ge=0, le=1)

    # Resource limits for reading one PDF in a child process.
    timeout_s: float = Field(default=60.0, gt=0)
    memory_mb: int = Field(default=1024, ge=128)
    max_file_mb: int = Field(default=200, ge=1)


DEFAULT_SETTINGS = Settings()
