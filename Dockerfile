# The Economic Mobility Explorer as one container, mirroring the README's set-up (Python 3.11, the pinned
# requirements.txt, `python serve.py`: `streamlit run app.py` with its start-up settings) for hosting platforms. The bundled data (data/processed) is
# in the image, so the container needs no network and no volume.
#
#   docker build -t mobility-explorer .
#   docker run --rm -p 8501:8501 mobility-explorer        # then open http://localhost:8501
#
# Platforms that pass the port in $PORT (Cloud Run, Render, Heroku-style) are honoured. Put TLS in front
# (the platform's, or nginx: see deploy/); for several replicas use sticky sessions and give them all the
# same STREAMLIT_SERVER_COOKIE_SECRET. MALLOC_ARENA_MAX=2 keeps a busy server's memory flat (README, Performance).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MALLOC_ARENA_MAX=2 \
    PORT=8501

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# The Spanish catalog, compiled from its source (the .mo is build output, not in the repository)
RUN python -m explorer.i18n

# Run as an unprivileged user; the app only reads its files (uploads stay in memory).
RUN useradd --create-home --uid 10001 explorer
USER explorer

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/_stcore/health', timeout=4)"

# .streamlit/config.toml (copied with the app) holds the hardened server settings. The container listens
# on all its interfaces (the platform's port mapping decides who reaches it); no start-up banner, since
# for an address like 0.0.0.0 Streamlit would ask an outside service for the public address to print.
CMD ["sh", "-c", "exec python serve.py --server.address=0.0.0.0 --server.port=${PORT} --logger.hideWelcomeMessage=true"]
