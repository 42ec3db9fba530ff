from service.common.api import Blueprint

blp = Blueprint("plans", __name__, url_prefix="/api/v1", description="(to be written)")
