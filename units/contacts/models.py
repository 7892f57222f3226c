"""A unit's contact people (联络员): name, mobile, office phone, email, a note, their order."""

from django.core.validators import RegexValidator
from django.db import models

MOBILE_MESSAGE = "手机号码应为以 1 开头的 11 位数字，如 13800000000。"
PHONE_MESSAGE = "办公电话只能包含数字、短横线、括号、空格和“转”，如 0551-63538888 转 801。"
EMAIL_MESSAGE = "请输入有效的电子邮箱地址，如 zhangsan@hefei.gov.cn。"

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", MOBILE_MESSAGE, code="mobile")
phone_validator = RegexValidator(
    r"^[0-9０-９()（）\- 转]{5,30}$", PHONE_MESSAGE, code="office_phone"
)


class Contact(models.Model):
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="contacts", verbose_name="单位"
    )
    name = models.CharField("姓名", max_length=32)
    mobile = models.CharField("手机", max_length=11, validators=[mobile_validator])
    office_phone = models.CharField(
        "办公电话", max_length=30, blank=True, validators=[phone_validator]
    )
    email = models.EmailField("电子邮箱", blank=True, error_messages={"invalid": EMAIL_MESSAGE})
    note = models.CharField("备注", max_length=100, blank=True, help_text="如职务、分管事项。")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "联络员"
        verbose_name_plural = "联络员"
        ordering = ["unit", "order", "id"]
        indexes = [models.Index(fields=["unit", "order"], name="contact_unit_order")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"
