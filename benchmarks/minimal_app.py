"""The yardstick for bench_browser.py: the smallest Streamlit page with one plotly chart."""

import plotly.graph_objects as go
import streamlit as st

st.title("Minimal")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])), key="chart_minimal")
