from . import serial_label_wizard
