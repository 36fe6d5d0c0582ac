"""Streamlit-side helpers of the dashboard: cached loaders, widgets, images, charts.

`ae_core` never imports Streamlit; everything that does lives here or in `pages/`.
"""
