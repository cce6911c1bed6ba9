FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir --upgrade pip
COPY . .
RUN pip install --no-cache-dir -e . \
 && DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py collectstatic --noinput
USER nobody
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
