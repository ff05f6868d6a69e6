from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from ninja.security import APIKeyCookie, django_auth


# ruleid: sanzhang-csrf-exempt
@csrf_exempt
def report(request):
    return HttpResponse("ok")


# ruleid: sanzhang-csrf-exempt
@method_decorator(csrf_exempt, name="dispatch")
class Hook(View):
    pass


def middleware(request):
    # ruleid: sanzhang-csrf-exempt
    request._dont_enforce_csrf_checks = True


class CookieKey(APIKeyCookie):
    pass


# ruleid: sanzhang-csrf-exempt
cookie_auth = CookieKey(csrf=False)
# ok: sanzhang-csrf-exempt
session_auth = django_auth


# ok: sanzhang-csrf-exempt
def page(request):
    return HttpResponse("ok")
