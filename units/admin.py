from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models import Field, ManyToManyField, QuerySet
from django.forms import ModelMultipleChoiceField, TypedChoiceField
from django.http import HttpRequest, HttpResponse

from hefei_ai_zone.errors import ApplicationError

from .access import staff_access_apply
from .models import Unit, UnitGroup, UnitKind, User
from .services import user_password_reset, user_unlock
from .two_factor.services import two_factor_reset


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "full_name", "kind", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "full_name"]
    list_editable = ["sort_order"]
    fields = [
        "name",
        "full_name",
        "kind",
        "description",
        "sort_order",
        "is_active",
        "self_approval_allowed",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        qs = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            # A task or demo may name a group; User.unit's limit_choices_to still excludes them.
            return qs
        return qs.exclude(kind=UnitKind.GROUP)

    def formfield_for_choice_field(
        self, db_field: "Field[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> TypedChoiceField | None:
        if db_field.name == "kind":
            kwargs["choices"] = [c for c in UnitKind.choices if c[0] != UnitKind.GROUP]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "full_name", "member_names"]
    search_fields = ["name", "full_name", "members__name"]
    fields = ["name", "full_name", "description", "members", "sort_order"]
    filter_horizontal = ["members"]

    @admin.display(description="成员单位")
    def member_names(self, obj: UnitGroup) -> str:
        return "、".join(m.name for m in obj.members.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[UnitGroup]:
        return super().get_queryset(request).prefetch_related("members")

    def formfield_for_manytomany(
        self, db_field: "ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "members":
            kwargs["queryset"] = Unit.objects.organisations()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: UnitGroup, form: Any, change: bool) -> None:
        obj.kind = UnitKind.GROUP
        super().save_model(request, obj, form, change)


class AdminPasswordResetForm(AdminPasswordChangeForm):
    """The admin's 修改密码 of a person goes through units.services.user_password_reset: the
    rules of units.password_rules apply (Django's form validates with them), the person must
    change it at the next login, and their sessions and tokens end."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.actor: User | None = None

    def save(self, commit: bool = True) -> User:
        if self.actor is None:  # pragma: no cover - set by UserAdmin.get_form's caller below
            raise ApplicationError("缺少操作人。")
        password = self.cleaned_data.get("password1")
        if not password:  # the administrator chose "no password": Django's own way
            return super().save(commit=commit)
        return user_password_reset(actor=self.actor, user=self.user, password=password)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = AdminPasswordResetForm
    actions = ["unlock", "reset_two_factor"]
    list_display = ["username", "display_name", "unit", "role", "email", "is_active"]
    list_filter = ["role", "unit", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("单位与角色", {"fields": ["unit", "role"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("单位与角色", {"fields": ["unit", "role"]}),
    ]

    @admin.display(description="姓名")
    def display_name(self, obj: User) -> str:
        return obj.display_name

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # The form is made inside Django's view: hand it the administrator through the class.
        actor = request.user

        class Form(AdminPasswordResetForm):
            def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
                super().__init__(user, *args, **kwargs)
                self.actor = actor  # type: ignore[assignment]

        self.change_password_form = Form
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            self.change_password_form = AdminPasswordResetForm

    @admin.action(description="解除登录锁定")
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        names = []
        for user in queryset:
            if user_unlock(actor=request.user, user=user):  # type: ignore[arg-type]
                names.append(user.username)
        if names:
            self.message_user(request, f"已解除登录锁定：{'、'.join(names)}。", messages.SUCCESS)
        else:
            self.message_user(request, "所选用户没有被锁定。", messages.INFO)

    @admin.action(description="重置两步验证（删除验证器与恢复码）")
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        names = []
        for user in queryset:
            try:
                if two_factor_reset(actor=request.user, user=user):  # type: ignore[arg-type]
                    names.append(user.username)
            except ApplicationError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
        if names:
            self.message_user(
                request,
                f"已重置两步验证：{'、'.join(names)}。他们下次登录时重新绑定验证器。",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "所选用户没有启用两步验证。", messages.INFO)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """After the form's groups: the admin access of the role (the office's group, staff)."""
        super().save_related(request, form, formsets, change)
        staff_access_apply(user=form.instance)


from units.contacts import admin as contacts_admin  # noqa: E402, F401  (联络员)
from units.notifications import admin as notifications_admin  # noqa: E402, F401  (群机器人)
