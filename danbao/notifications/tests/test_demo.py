"""The demo step: welcome and system messages for demo accounts and default templates, idempotent."""

from danbao.notifications import demo
from danbao.notifications.models import Message, MessageRecipient, MessageTemplate
from danbao.notifications.registry import kinds
from danbao.org import demo as org_demo
from danbao.org.models import User


def test_demo_seed_is_idempotent(db) -> None:
    org_demo.seed()
    demo.seed()
    counts = (Message.objects.count(), MessageRecipient.objects.count(), MessageTemplate.objects.count())
    assert counts[0] >= 3
    assert counts[2] == len([k for k in kinds if k.templated])
    manager = User.objects.get(username="manager")
    assert MessageRecipient.objects.filter(user=manager, message__title="欢迎使用担保业务管理系统").exists()
    demo.seed()
    assert (Message.objects.count(), MessageRecipient.objects.count(), MessageTemplate.objects.count()) == counts
