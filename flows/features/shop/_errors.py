"""The shop's exceptions: each carries a message that can be shown to the customer as is.

A cart refusal and a sold-out product are expected outcomes (:class:`flows.Refusal`): a hook
raising one is logged at INFO, without a traceback.

::

    WaflowError
    └── ShopError                    a shop operation was refused; ``str(exc)`` is customer-ready
        ├── CartError                bad quantity, unknown product, empty cart (also a Refusal)
        ├── OutOfStockError          not enough left (``product_id``, ``available``; a Refusal)
        ├── OrderNotFoundError       no such order *for this customer*
        ├── OrderStateError          a status change that is not allowed
        ├── InputError               a value staff typed in the console cannot be used
        └── PaymentError             the payment provider failed or is misconfigured
            └── SignatureError       a payment webhook's signature is missing, wrong or stale
"""

from __future__ import annotations

from bot.errors import WaflowError
from flows import Refusal
from flows.features.console.forms import FormError


class ShopError(WaflowError):
    """A shop operation was refused; the message is written for the customer."""


class InputError(ShopError, FormError):
    """A value staff typed in the console cannot be used (a status, a count, a link)."""


class CartError(ShopError, Refusal):
    """A cart change was refused: bad quantity, unknown product, empty cart."""


class OutOfStockError(ShopError, Refusal):
    """Not enough of a product is left.

    Attributes:
        product_id: The product.
        available: How many are left (0 when sold out).
    """

    def __init__(self, message: str, product_id: str, available: int) -> None:
        super().__init__(message)
        self.product_id = product_id
        self.available = available


class OrderNotFoundError(ShopError):
    """No such order, or it belongs to someone else (the two are indistinguishable)."""


class OrderStateError(ShopError):
    """The order cannot move to the requested status from where it is."""


class PaymentError(ShopError):
    """The payment provider failed, answered with an error, or is not configured.

    Attributes:
        transient: Trying again later may work (unreachable, overloaded, busy).
        in_progress: The provider is still creating this very payment for a concurrent
            request (same idempotency key): not a failure, its answer comes later.
    """

    transient = False
    in_progress = False


class SignatureError(PaymentError):
    """A payment webhook is not authentic: signature missing, wrong, or too old."""
