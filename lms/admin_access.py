"""``is_staff`` says, without a query, whether a person may open the admin.

Wagtail decides admin access by the permission ``wagtailadmin.access_admin``,
which editors, moderators, reviewers and organisers get through their
groups. Asking for it costs two queries (the user's and the groups'
permissions), and the Wagtail user bar asks on every public page for every
signed-in visitor, though learners — nearly all of them — never see it.
Django's own flag for "may use the admin site", ``is_staff``, is otherwise
unused here, so it is kept equal to that permission by the receivers below
(group membership, a group's permissions, a user's own permissions,
superuser status) and ``base.html`` shows the user bar only when it is set.
The admin itself still checks the permission on every view: the flag only
saves the learners' pages the question.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import m2m_changed, post_save

from lms import user_cache

ACCESS_ADMIN = {"content_type__app_label": "wagtailadmin", "codename": "access_admin"}


def admin_users_condition() -> Q:
    """Users who hold ``access_admin`` directly or through a group."""
    direct = Permission.objects.filter(user=OuterRef("pk"), **ACCESS_ADMIN)
    through_group = Permission.objects.filter(
        group__user=OuterRef("pk"), **ACCESS_ADMIN
    )
    return Q(is_superuser=True) | Q(Exists(direct)) | Q(Exists(through_group))


def refresh_staff_flags(user_ids=None) -> int:
    """Sets ``is_staff`` from admin access for the given users (all if None)."""
    User = get_user_model()
    users = (
        User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    )
    allowed = users.filter(admin_users_condition())
    granted = list(allowed.filter(is_staff=False).values_list("pk", flat=True))
    revoked = list(
        users.exclude(pk__in=allowed.values("pk"))
        .filter(is_staff=True)
        .values_list("pk", flat=True)
    )
    User.objects.filter(pk__in=granted).update(is_staff=True)
    User.objects.filter(pk__in=revoked).update(is_staff=False)
    for pk in granted + revoked:  # an update sends no signal
        user_cache.forget(pk)
    return len(granted) + len(revoked)


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # group.user_set changed: pk_set are users (None on clear)
        refresh_staff_flags(pk_set if pk_set is not None else None)
    else:
        refresh_staff_flags([instance.pk])


def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    User = get_user_model()
    if reverse and pk_set is None:  # a permission left every group
        refresh_staff_flags()
        return
    groups = pk_set if reverse else [instance.pk]
    refresh_staff_flags(
        list(User.objects.filter(groups__in=groups).values_list("pk", flat=True))
    )


def _user_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    refresh_staff_flags(None if reverse else [instance.pk])


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    """Superuser status given or taken away in a form or the shell."""
    if created and not instance.is_superuser:
        return  # a new account has no groups or permissions yet
    if update_fields is None or "is_superuser" in update_fields:
        refresh_staff_flags([instance.pk])


def connect() -> None:
    User = get_user_model()
    m2m_changed.connect(
        _groups_changed, sender=User.groups.through, dispatch_uid="lms.staff_groups"
    )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="lms.staff_group_permissions",
    )
    m2m_changed.connect(
        _user_permissions_changed,
        sender=User.user_permissions.through,
        dispatch_uid="lms.staff_user_permissions",
    )
    post_save.connect(_user_saved, sender=User, dispatch_uid="lms.staff_superuser")
