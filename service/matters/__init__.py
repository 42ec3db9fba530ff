"""The checklist of inspection matters (随机抽查事项清单): national reference data that
plans draw under and campaigns check."""
