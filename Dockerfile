FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py gunicorn.conf.py openapi.yaml ./
COPY service ./service
COPY migrations ./migrations
EXPOSE 5000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--preload", "--workers", "2", "--bind", "0.0.0.0:5000", "app:app"]
