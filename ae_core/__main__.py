import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's start quiet

from ae_core.cli import main  # noqa: E402

main()
