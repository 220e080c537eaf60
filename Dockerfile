FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py gunicorn.conf.py openapi.yaml ./
COPY service ./service
COPY migrations ./migrations
# Validate the data and cache the compiled gazetteer in the image (RESOURCE_CACHE_DIR's default),
# so no container start pays for it; and compile the code, as PYTHONDONTWRITEBYTECODE stops that later.
RUN python -m compileall -q service migrations app.py \
 && python -c "from service import compiled, config; compiled.configure(config.default_cache_dir()).validate()"
EXPOSE 5000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--preload", "--workers", "2", "--bind", "0.0.0.0:5000", "app:app"]
