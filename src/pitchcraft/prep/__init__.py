"""Preparing and running many profiles: the interview, the CRM import, batch generation and the
coverage summary. Each calls the pipeline; the pipeline never calls them."""

# Jaccard similarity of the matcher's features (characters and character bigrams, filler words
# left out) at which two need statements count as the same wording. On clients' paraphrases
# (想招几个熟练的电焊工 / 厂里招工太难，想招一批熟练电焊工: 0.32; 铺面租金太贵 / 店面租金越涨越凶: 0.29)
# against unrelated needs (at most 0.17), 0.25 separates them; bigrams alone score paraphrases 0.1–0.2.
COVERAGE_SIMILARITY = 0.25  # lives here, not in .coverage, so the CLI reads it without loading the matcher
