"""The dashboard's building blocks; pages in `pages/` compose them.

shell (frame, navigation) · sidebar · state (selection ↔ URL) · data (cached corpus access) ·
charts (pure Altair builders) · layout (chart + export row, CSS) · export (PNG/SVG/CSV) ·
wordcloud · kwic · reader · termedit · views (selection filters) · i18n (translations.yaml).
"""
