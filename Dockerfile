# Streamlit's recipe (docs.streamlit.io, "Deploy Streamlit using Docker"), plus Chromium for chart downloads.
FROM python:3.11-slim

WORKDIR /app
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl chromium \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY .streamlit/ .streamlit/
COPY carbon_core/ carbon_core/
COPY explorer/ explorer/
COPY deploy/ deploy/
COPY data/ data/
COPY static/ static/
COPY app.py README.md pyproject.toml ./

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD curl --fail http://localhost:8501/_stcore/health || exit 1
ENTRYPOINT ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
