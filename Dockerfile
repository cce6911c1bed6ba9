FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir --upgrade pip
COPY . .
# torch is pinned for the matcher's encoder. A plain index serves its CUDA build (several GB); point
# TORCH_WHEELS at a folder or index of CPU-only wheels (docker build --build-arg TORCH_WHEELS=...) to keep the image small.
ARG TORCH_WHEELS=""
RUN pip install --no-cache-dir ${TORCH_WHEELS:+--find-links "$TORCH_WHEELS"} -e . \
 && DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py collectstatic --noinput \
 && DJANGO_SETTINGS_MODULE=config.settings.dev python manage.py build_encoder
USER nobody
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4"]
