from . import serial_event, stock_lot, stock_move
