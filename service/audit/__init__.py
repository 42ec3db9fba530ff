"""The audit trail (全过程记录): every write appends an entry; a sealing step chains them."""
