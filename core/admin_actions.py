from django.contrib import messages

from core.errors import DomainError


def run_service_on_each(modeladmin, request, objects, action) -> None:
    """Apply a service to each selected object; a domain error on one is reported and the rest go on."""
    done = 0
    for obj in objects:
        try:
            action(obj)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{obj}: {exc}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} item(s) updated.", messages.SUCCESS)
